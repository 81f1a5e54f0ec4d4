// One transfer with its status; a depositor may only see their own.
import type { DbOrTx } from '../../db/connection.ts';
import { AppError } from '../../domain/errors.ts';
import type { Actor } from '../../domain/roles.ts';
import { viewTransfer, type TransferView } from './transfer-store.ts';

export async function getTransfer(db: DbOrTx, actor: Actor, transferId: string): Promise<TransferView> {
  const view = await viewTransfer(db, BigInt(transferId));
  if (!view) throw new AppError('TRANSFER_NOT_FOUND', { field: 'id' });
  // Another depositor's transfer is reported as absent, not forbidden: its existence is not disclosed.
  if (actor.type === 'depositor' && view.depositorId !== String(actor.depositorId))
    throw new AppError('TRANSFER_NOT_FOUND', { field: 'id' });
  return view;
}
