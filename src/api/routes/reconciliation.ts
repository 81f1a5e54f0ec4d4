// Reconciliation with the bank (对账) for finance staff and managers: import the daily statement, list and
// resolve suspense items (assign to an account, or refund), and the report for a value date.
import type { FastifyInstance } from 'fastify';
import { AppError } from '../../domain/errors.ts';
import { requireActor } from '../access.ts';
import { dateSchema, errorResponses, idParams, idSchema } from '../schemas.ts';
import {
  importBankStatement,
  listBankStatements,
} from '../../services/reconciliation/import-bank-statement.ts';
import {
  listSuspenseItems,
  resolveSuspenseItem,
} from '../../services/reconciliation/resolve-suspense-item.ts';
import { reconciliationReport } from '../../services/reconciliation/reconciliation-report.ts';

const finance = { roles: ['finance', 'manager'] } as const;

export async function reconciliationRoutes(app: FastifyInstance): Promise<void> {
  const { db } = app.deps;

  app.post<{ Body: { fileName: string; contentBase64: string; statementDate?: string } }>(
    '/reconciliation/statements',
    {
      config: { access: finance },
      bodyLimit: 30 * 1024 * 1024,
      schema: {
        tags: ['reconciliation'],
        summary: 'Import the bank statement (CSV: serial,value_date,direction,amount,counterparty,memo)',
        description:
          'Idempotent by the file SHA-256: the same file again returns the first figures. Each line is matched by bank ' +
          'serial, direction and amount to what the books record (in: deposits, loan debits, transfer-in funds, payout ' +
          'returns; out: payouts, loan disbursements, transfer-out funds); incoming money nothing booked goes to suspense ' +
          '(Dr 101 / Cr 21902), outgoing money the books do not show is listed (outgoingUnbooked).',
        body: {
          type: 'object',
          required: ['fileName', 'contentBase64'],
          additionalProperties: false,
          properties: {
            fileName: { type: 'string', minLength: 1, maxLength: 200 },
            contentBase64: { type: 'string', minLength: 1 },
            statementDate: dateSchema,
          },
        },
        response: errorResponses(400, 409),
      },
    },
    async (request, reply) => {
      const { fileName, contentBase64, statementDate } = request.body;
      if (!/^[A-Za-z0-9+/=\s]+$/.test(contentBase64))
        throw new AppError('VALIDATION_FAILED', { field: 'contentBase64' });
      const result = await importBankStatement({
        db,
        actor: requireActor(request),
        fileName,
        content: Buffer.from(contentBase64, 'base64'),
        statementDate: statementDate ?? null,
      });
      return reply.code(result.replayed ? 200 : 201).send(result);
    },
  );

  app.get<{ Querystring: { date?: string } }>(
    '/reconciliation/statements',
    {
      config: { access: finance },
      schema: {
        tags: ['reconciliation'],
        summary: 'Imported statements, newest first',
        querystring: { type: 'object', additionalProperties: false, properties: { date: dateSchema } },
      },
    },
    async (request) => ({ statements: await listBankStatements(db, request.query.date) }),
  );

  app.get<{ Querystring: { status?: 'open' | 'assigned' | 'refunding' | 'refunded' | 'all' } }>(
    '/reconciliation/suspense',
    {
      config: { access: finance },
      schema: {
        tags: ['reconciliation'],
        summary: 'Suspense items (money in the bank no deposit explains); open ones by default',
        querystring: {
          type: 'object',
          additionalProperties: false,
          properties: {
            status: { type: 'string', enum: ['open', 'assigned', 'refunding', 'refunded', 'all'] },
          },
        },
      },
    },
    async (request) => ({ items: await listSuspenseItems(db, { status: request.query.status ?? 'open' }) }),
  );

  app.post<{
    Params: { id: string };
    Body: {
      action: 'assign' | 'refund';
      accountId?: string;
      periodId?: string;
      note?: string;
      bankName?: string;
      bankCard?: string;
    };
  }>(
    '/reconciliation/suspense/:id/resolve',
    {
      config: { access: finance },
      schema: {
        tags: ['reconciliation'],
        summary: 'Resolve a suspense item: assign it to an account (a deposit; limits apply) or refund it',
        description:
          'assign credits the account from 21902 with the value date the money arrived; a rule refusal leaves the ' +
          "item open. refund needs a note and the payer's bank and card: it books Dr 21902 / Cr 21903 with a payout " +
          "sent to the bank at once (the item is refunding); the bank's confirmation books Dr 21903 / Cr 101 " +
          '(refunded), a refusal or a return (退票) puts the money back in suspense and the item is open again.',
        params: idParams(),
        body: {
          type: 'object',
          required: ['action'],
          additionalProperties: false,
          properties: {
            action: { type: 'string', enum: ['assign', 'refund'] },
            accountId: idSchema,
            periodId: idSchema,
            note: { type: 'string', maxLength: 500 },
            bankName: { type: 'string', maxLength: 100, description: "refund: the payer's bank" },
            bankCard: {
              type: 'string',
              maxLength: 40,
              description: "refund: the payer's card or account number",
            },
          },
        },
        response: errorResponses(400, 404, 409, 422),
      },
    },
    async (request) => {
      const actor = requireActor(request);
      const { action, accountId, periodId, note, bankName, bankCard } = request.body;
      if (action === 'assign') {
        if (!accountId) throw new AppError('VALIDATION_FAILED', { field: 'accountId' });
        return resolveSuspenseItem({
          db,
          actor,
          itemId: request.params.id,
          action,
          accountId,
          periodId: periodId ?? null,
          note: note ?? null,
        });
      }
      if (!bankName) throw new AppError('VALIDATION_FAILED', { field: 'bankName' });
      if (!bankCard) throw new AppError('VALIDATION_FAILED', { field: 'bankCard' });
      return resolveSuspenseItem({
        db,
        actor,
        itemId: request.params.id,
        action,
        note: note ?? null,
        bankName,
        bankCard,
        bank: app.deps.bank,
      });
    },
  );

  app.get<{ Querystring: { date: string } }>(
    '/reconciliation/report',
    {
      config: { access: finance },
      schema: {
        tags: ['reconciliation'],
        summary:
          'Reconciliation of one value date: matched, bank lines nothing booked (suspense), outgoing lines not booked, ' +
          'deposits and other booked movements without bank line, suspense',
        querystring: {
          type: 'object',
          required: ['date'],
          additionalProperties: false,
          properties: { date: dateSchema },
        },
      },
    },
    async (request) => reconciliationReport(db, request.query.date),
  );
}
