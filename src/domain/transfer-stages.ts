// Our progress on a cross-city transfer (transfers.stage, rules.md §5.4) and what each stage allows: the
// finished stages no longer count as the account's one transfer in progress, a transfer in may be
// cancelled (platform status 05 转入撤销) only until the old center has sent its account sheet or money, and
// money of a transfer in that ended without being credited goes back to the old center.

export const TRANSFER_STAGES = [
  'letter_pending',
  'letter_sent',
  'sheet_received',
  'funds_received',
  'credited',
  'paid_out',
  'done',
  'refused',
  'failed',
  'cancelled',
] as const;

export type TransferStage = (typeof TRANSFER_STAGES)[number];

/** Stages after which nothing more is done for the transfer (the money, if any, is where it ends). */
export const FINISHED_TRANSFER_STAGES: readonly TransferStage[] = [
  'credited',
  'done',
  'refused',
  'failed',
  'cancelled',
];

export function isFinishedTransferStage(stage: TransferStage): boolean {
  return FINISHED_TRANSFER_STAGES.includes(stage);
}

/**
 * Whether a transfer may still be cancelled by the person: it is a transfer in, its letter went (or is
 * queued), and neither the old center's account sheet nor its money has arrived. Once either arrived the
 * old center has acted on the letter and the transfer is finished through the platform, not withdrawn.
 */
export function transferInCancellable(transfer: {
  direction: 'in' | 'out';
  stage: TransferStage;
  sheetReceived: boolean;
  fundsReceived: boolean;
}): boolean {
  return (
    transfer.direction === 'in' &&
    (transfer.stage === 'letter_pending' || transfer.stage === 'letter_sent') &&
    !transfer.sheetReceived &&
    !transfer.fundsReceived
  );
}

/**
 * Whether the money of a transfer in can be paid back to the old center: the transfer ended without
 * crediting it (refused, failed, or cancelled while the answer crossed the cancellation), the money is
 * waiting on 21904, and it has not been returned yet.
 */
export function transferInFundsReturnable(transfer: {
  direction: 'in' | 'out';
  stage: TransferStage;
  fundsWaiting: boolean;
  returned: boolean;
}): boolean {
  return (
    transfer.direction === 'in' &&
    (transfer.stage === 'refused' || transfer.stage === 'failed' || transfer.stage === 'cancelled') &&
    transfer.fundsWaiting &&
    !transfer.returned
  );
}
