// Using the money (rules.md §5.1, §5.2): rent and free withdrawals (the depositor for their own account,
// or a teller), standing monthly rent orders (set up, listed, stopped), closure with its certificate, the
// review queue (maker-checker), the payout list and returned payments, the bank's payout results, and the
// housing-security referral list.
import type { FastifyInstance, FastifyReply } from 'fastify';
import { requireActor } from '../access.ts';
import { dateSchema, errorResponses, idParams, idSchema, yuanSchema } from '../schemas.ts';
import { BANK_SIGNATURE_HEADER } from '../../integrations/bank/gateway.ts';
import { requestFreeWithdrawal } from '../../services/withdrawals/request-free-withdrawal.ts';
import { requestRentWithdrawal } from '../../services/withdrawals/request-rent-withdrawal.ts';
import type { LeaseInput } from '../../services/withdrawals/submit-withdrawal.ts';
import { createRentOrder } from '../../services/withdrawals/create-rent-order.ts';
import { listRentOrders } from '../../services/withdrawals/list-rent-orders.ts';
import { cancelRentOrder } from '../../services/withdrawals/cancel-rent-order.ts';
import { closeAccount } from '../../services/withdrawals/close-account.ts';
import { decideWithdrawal } from '../../services/withdrawals/decide-withdrawal.ts';
import { listReviewQueue } from '../../services/withdrawals/list-review-queue.ts';
import {
  printClosureCertificate,
  verifyClosureCertificate,
} from '../../services/withdrawals/closure-certificate.ts';
import {
  requestHousingReferral,
  REFERRAL_QUEUES,
} from '../../services/withdrawals/request-housing-referral.ts';
import {
  listHousingReferrals,
  referralsCsv,
  referralsXlsx,
} from '../../services/withdrawals/export-housing-referrals.ts';
import { recordPayoutReturn } from '../../services/payouts/record-payout-return.ts';
import {
  listPayouts,
  PAYOUT_KINDS,
  PAYOUT_STATUSES,
  type ListPayoutsInput,
} from '../../services/payouts/list-payouts.ts';
import { handlePayoutNotification } from '../../services/payouts/handle-payout-notification.ts';
import { keepJsonAsText } from '../raw-json.ts';

const leaseSchema = {
  type: 'object',
  required: ['landlordName', 'leaseAddress', 'leaseStart', 'leaseEnd', 'monthlyRent', 'contractNo'],
  additionalProperties: false,
  properties: {
    landlordName: { type: 'string', minLength: 1, maxLength: 200 },
    leaseAddress: { type: 'string', minLength: 1, maxLength: 200 },
    leaseStart: dateSchema,
    leaseEnd: dateSchema,
    monthlyRent: yuanSchema,
    contractNo: { type: 'string', minLength: 1, maxLength: 100 },
    publicRental: {
      type: 'boolean',
      description: '公租房 tenant: the contract rent replaces the yearly cap',
    },
  },
} as const;

const keySchema = { type: 'string', minLength: 8, maxLength: 100 } as const;
const ownerOrTeller = { depositor: true, roles: ['teller', 'manager'] } as const;
const nullable = <T extends Record<string, unknown>>(schema: T) => ({
  ...schema,
  type: [schema.type, 'null'],
});
const nullableString = { type: ['string', 'null'] } as const;

const rentOrderSchema = {
  type: 'object',
  properties: {
    rentOrderId: idSchema,
    accountId: idSchema,
    status: { type: 'string', enum: ['active', 'ended'] },
    monthlyAmount: yuanSchema,
    payDay: { type: 'integer' },
    nextDueDate: { ...nullable(dateSchema), description: 'The next month the close pays; null once ended' },
    publicRental: { type: 'boolean' },
    landlordName: { type: 'string' },
    leaseAddress: { type: 'string' },
    leaseStart: dateSchema,
    leaseEnd: dateSchema,
    monthlyRent: yuanSchema,
    contractNo: { type: 'string' },
    createdBy: { type: 'string' },
    createdOn: dateSchema,
    endedOn: nullable(dateSchema),
    endedReason: { ...nullableString, description: 'lease_ended or cancelled' },
    paidMonths: { type: 'integer' },
    paidTotal: yuanSchema,
    lastPaid: {
      type: ['object', 'null'],
      properties: {
        dueDate: dateSchema,
        businessDate: dateSchema,
        amount: yuanSchema,
        withdrawalId: idSchema,
      },
    },
    lastUnpaid: {
      type: ['object', 'null'],
      description: 'The latest run when it paid nothing, with why (cap_reached, no_balance, …)',
      properties: { dueDate: dateSchema, outcome: { type: 'string' } },
    },
  },
} as const;

const payoutSchema = {
  type: 'object',
  properties: {
    payoutId: idSchema,
    requestNo: { type: 'string' },
    purpose: {
      type: 'string',
      enum: ['withdrawal', 'loan_refund', 'suspense_refund'],
      description:
        'What the payout pays: a withdrawal, the refund of a loan over-payment held on 21909, or money in suspense (21902) sent back to its payer',
    },
    withdrawalId: { ...nullable(idSchema), description: 'The withdrawal paid; null for a loan refund' },
    loanId: { ...nullable(idSchema), description: 'A loan refund’s loan; null for a withdrawal' },
    loanNumber: nullableString,
    loanRefundId: nullable(idSchema),
    kind: {
      type: 'string',
      enum: [...PAYOUT_KINDS],
      description: 'The withdrawal’s kind, loan_refund or suspense_refund',
    },
    channel: { ...nullableString, description: 'How the withdrawal was asked for; null for a refund' },
    suspenseItemId: { ...nullable(idSchema), description: 'A suspense refund’s item; else null' },
    suspenseSerial: {
      ...nullableString,
      description: 'The bank serial of the money a suspense refund sends back',
    },
    accountId: { ...nullable(idSchema), description: 'The member paid; null for a suspense refund' },
    accountNumber: nullableString,
    depositorId: nullable(idSchema),
    name: {
      type: 'string',
      description: 'The member, or for a suspense refund the payer the bank line named',
    },
    amount: yuanSchema,
    bankName: { type: 'string' },
    bankCard: { type: 'string', description: 'Masked' },
    valueDate: dateSchema,
    status: { type: 'string', enum: [...PAYOUT_STATUSES] },
    returnable: { type: 'boolean', description: 'Whether a bank return (退票) can be recorded now' },
    attempts: { type: 'integer' },
    lastError: nullableString,
    bankSerial: nullableString,
    confirmedOn: nullable(dateSchema),
    returnSerial: nullableString,
    returnReason: nullableString,
    returnedOn: nullable(dateSchema),
  },
} as const;

function sendFile(reply: FastifyReply, type: string, fileName: string, body: Buffer | string): FastifyReply {
  return reply
    .type(type)
    .header('content-disposition', `attachment; filename="${fileName}"`)
    .header('cache-control', 'private, no-store')
    .send(body);
}

export async function withdrawalRoutes(app: FastifyInstance): Promise<void> {
  const { db, bank } = app.deps;

  app.post<{ Params: { id: string }; Body: { amount: string; idempotencyKey: string } }>(
    '/accounts/:id/withdrawals/free',
    {
      config: { access: ownerOrTeller },
      schema: {
        tags: ['withdrawals'],
        summary: 'Free withdrawal of any part of the balance (rules.md §5.2), idempotent by idempotencyKey',
        params: idParams(),
        body: {
          type: 'object',
          required: ['amount', 'idempotencyKey'],
          additionalProperties: false,
          properties: { amount: yuanSchema, idempotencyKey: keySchema },
        },
      },
    },
    async (request, reply) => {
      const result = await requestFreeWithdrawal({
        db,
        bank,
        actor: requireActor(request),
        accountId: request.params.id,
        ...request.body,
      });
      return reply.code(result.replayed ? 200 : 201).send(result);
    },
  );

  app.post<{
    Params: { id: string };
    Body: { amount: string; idempotencyKey: string; declaredNoHousing: boolean; lease: LeaseInput };
  }>(
    '/accounts/:id/withdrawals/rent',
    {
      config: { access: ownerOrTeller },
      schema: {
        tags: ['withdrawals'],
        summary: 'One-off rent withdrawal for rent paid, with the lease (rules.md §5.1)',
        params: idParams(),
        body: {
          type: 'object',
          required: ['amount', 'idempotencyKey', 'declaredNoHousing', 'lease'],
          additionalProperties: false,
          properties: {
            amount: yuanSchema,
            idempotencyKey: keySchema,
            declaredNoHousing: { type: 'boolean' },
            lease: leaseSchema,
          },
        },
      },
    },
    async (request, reply) => {
      const { amount, idempotencyKey, declaredNoHousing, lease } = request.body;
      const result = await requestRentWithdrawal({
        db,
        bank,
        actor: requireActor(request),
        accountId: request.params.id,
        amount,
        idempotencyKey,
        rent: { declaredNoHousing, lease },
      });
      return reply.code(result.replayed ? 200 : 201).send(result);
    },
  );

  app.post<{
    Params: { id: string };
    Body: {
      monthlyAmount: string;
      payDay: number;
      idempotencyKey: string;
      declaredNoHousing: boolean;
      lease: LeaseInput;
    };
  }>(
    '/accounts/:id/rent-orders',
    {
      config: { access: ownerOrTeller },
      schema: {
        tags: ['withdrawals'],
        summary: 'Set up a standing monthly rent withdrawal paid by the business-day close (rules.md §5.1)',
        params: idParams(),
        body: {
          type: 'object',
          required: ['monthlyAmount', 'payDay', 'idempotencyKey', 'declaredNoHousing', 'lease'],
          additionalProperties: false,
          properties: {
            monthlyAmount: yuanSchema,
            payDay: { type: 'integer', minimum: 1, maximum: 28 },
            idempotencyKey: keySchema,
            declaredNoHousing: { type: 'boolean' },
            lease: leaseSchema,
          },
        },
      },
    },
    async (request, reply) => {
      const result = await createRentOrder({
        db,
        actor: requireActor(request),
        accountId: request.params.id,
        ...request.body,
      });
      return reply.code(result.replayed ? 200 : 201).send(result);
    },
  );

  app.get<{ Params: { id: string } }>(
    '/accounts/:id/rent-orders',
    {
      config: { access: { staff: true, depositor: true } },
      schema: {
        tags: ['withdrawals'],
        summary:
          "The account's standing monthly rent orders, with the last month paid and the last unpaid run",
        params: idParams(),
        response: {
          200: {
            type: 'object',
            properties: { accountId: idSchema, items: { type: 'array', items: rentOrderSchema } },
          },
          ...errorResponses(403, 404),
        },
      },
    },
    async (request) => listRentOrders(db, requireActor(request), request.params.id),
  );

  app.post<{ Params: { id: string }; Body: { reason: string } }>(
    '/rent-orders/:id/cancel',
    {
      config: { access: ownerOrTeller },
      schema: {
        tags: ['withdrawals'],
        summary:
          'Stop a standing monthly rent order: the close pays nothing more from the business date; audited',
        params: idParams(),
        body: {
          type: 'object',
          required: ['reason'],
          additionalProperties: false,
          properties: { reason: { type: 'string', minLength: 1, maxLength: 200 } },
        },
        response: errorResponses(400, 403, 404, 409),
      },
    },
    async (request) =>
      cancelRentOrder({
        db,
        actor: requireActor(request),
        rentOrderId: request.params.id,
        reason: request.body.reason,
      }),
  );

  app.post<{ Params: { id: string }; Body: { idempotencyKey: string } }>(
    '/accounts/:id/closure',
    {
      config: { access: ownerOrTeller },
      schema: {
        tags: ['withdrawals'],
        summary: 'Close the account by withdrawal: interest, subsidy, payout, certificate (rules.md §5.2)',
        params: idParams(),
        body: {
          type: 'object',
          required: ['idempotencyKey'],
          additionalProperties: false,
          properties: { idempotencyKey: keySchema },
        },
      },
    },
    async (request, reply) => {
      const result = await closeAccount({
        db,
        bank,
        actor: requireActor(request),
        accountId: request.params.id,
        idempotencyKey: request.body.idempotencyKey,
      });
      return reply.code(result.replayed ? 200 : 201).send(result);
    },
  );

  app.get(
    '/withdrawals/review-queue',
    {
      config: { access: { roles: ['reviewer', 'manager'] } },
      schema: { tags: ['withdrawals'], summary: 'Withdrawals waiting for review, with the reasons' },
    },
    async (request) => ({ items: await listReviewQueue(db, requireActor(request)) }),
  );

  app.post<{ Params: { id: string }; Body: { decision: 'approve' | 'reject'; reason: string } }>(
    '/withdrawals/:id/decision',
    {
      config: { access: { roles: ['reviewer', 'manager'] } },
      schema: {
        tags: ['withdrawals'],
        summary: 'Approve or reject a waiting withdrawal (the maker cannot approve their own)',
        params: idParams(),
        body: {
          type: 'object',
          required: ['decision', 'reason'],
          additionalProperties: false,
          properties: {
            decision: { type: 'string', enum: ['approve', 'reject'] },
            reason: { type: 'string', maxLength: 500 },
          },
        },
      },
    },
    async (request) =>
      decideWithdrawal({
        db,
        bank,
        actor: requireActor(request),
        withdrawalId: request.params.id,
        ...request.body,
      }),
  );

  app.get<{ Params: { id: string } }>(
    '/withdrawals/:id/closure-certificate.pdf',
    {
      config: { access: { staff: true, depositor: true } },
      schema: { tags: ['withdrawals'], summary: 'The closure certificate as a PDF', params: idParams() },
    },
    async (request, reply) => {
      const { fileName, pdf } = await printClosureCertificate(db, requireActor(request), request.params.id);
      return reply
        .type('application/pdf')
        .header('content-disposition', `inline; filename="${fileName}"`)
        .header('cache-control', 'private, no-store')
        .send(pdf);
    },
  );

  app.get<{ Params: { code: string } }>(
    '/closure-certificates/verify/:code',
    {
      config: { access: { public: true } },
      schema: {
        tags: ['withdrawals'],
        summary: 'Check a closure certificate by its verification code (public)',
        params: {
          type: 'object',
          required: ['code'],
          properties: { code: { type: 'string', minLength: 16, maxLength: 24 } },
        },
      },
    },
    async (request) => verifyClosureCertificate(db, request.params.code),
  );

  app.get<{ Querystring: Omit<ListPayoutsInput, 'db' | 'actor'> }>(
    '/payouts',
    {
      config: { access: { roles: ['finance', 'manager'] } },
      schema: {
        tags: ['withdrawals'],
        summary:
          'Payouts (withdrawals and loan over-payment refunds), newest first, with their bank status; filtered and paged',
        querystring: {
          type: 'object',
          additionalProperties: false,
          properties: {
            status: { type: 'string', enum: [...PAYOUT_STATUSES] },
            kind: { type: 'string', enum: [...PAYOUT_KINDS] },
            accountNumber: { type: 'string', minLength: 1, maxLength: 32 },
            from: { ...dateSchema, description: 'Value dates from (inclusive)' },
            to: { ...dateSchema, description: 'Value dates to (inclusive)' },
            limit: { type: 'integer', minimum: 1, maximum: 200 },
            offset: { type: 'integer', minimum: 0 },
          },
        },
        response: {
          200: {
            type: 'object',
            properties: {
              items: { type: 'array', items: payoutSchema },
              total: { type: 'integer', description: 'Payouts matching the filters' },
              hasMore: { type: 'boolean' },
            },
          },
          ...errorResponses(400, 403),
        },
      },
    },
    async (request) => listPayouts({ db, actor: requireActor(request), ...request.query }),
  );

  app.post<{ Params: { id: string }; Body: { bankSerial: string; reason: string } }>(
    '/payouts/:id/return',
    {
      config: { access: { roles: ['finance', 'manager'] } },
      schema: {
        tags: ['withdrawals'],
        summary: 'Record a returned payment (退票) found on the bank statement',
        description:
          'A withdrawal’s money goes back on the member (Cr 201); a loan over-payment refund’s goes back on ' +
          '21909 and the over-payment can be refunded again.',
        params: idParams(),
        body: {
          type: 'object',
          required: ['bankSerial', 'reason'],
          additionalProperties: false,
          properties: {
            bankSerial: { type: 'string', minLength: 1, maxLength: 64 },
            reason: { type: 'string', maxLength: 200 },
          },
        },
      },
    },
    async (request) =>
      recordPayoutReturn({ db, actor: requireActor(request), payoutId: request.params.id, ...request.body }),
  );

  app.post<{
    Params: { id: string };
    Body: { queues: string[]; householdSize: number; declaredNoHousing: boolean };
  }>(
    '/accounts/:id/housing-referral',
    {
      config: { access: ownerOrTeller },
      schema: {
        tags: ['withdrawals'],
        summary: 'Ask to be referred to the housing-security department (public / affordable rental)',
        params: idParams(),
        body: {
          type: 'object',
          required: ['queues', 'householdSize', 'declaredNoHousing'],
          additionalProperties: false,
          properties: {
            queues: { type: 'array', minItems: 1, items: { type: 'string', enum: [...REFERRAL_QUEUES] } },
            householdSize: { type: 'integer', minimum: 1, maximum: 20 },
            declaredNoHousing: { type: 'boolean' },
          },
        },
      },
    },
    async (request, reply) =>
      reply.code(201).send(
        await requestHousingReferral({
          db,
          actor: requireActor(request),
          accountId: request.params.id,
          ...request.body,
        }),
      ),
  );

  app.get<{ Querystring: { format?: 'csv' | 'xlsx' | 'json' } }>(
    '/housing-referrals',
    {
      config: { access: { roles: ['manager', 'reviewer', 'district_viewer'] } },
      schema: {
        tags: ['withdrawals'],
        summary: 'The housing-security referral list (eligible depositors who asked), as JSON, CSV or Excel',
        querystring: {
          type: 'object',
          additionalProperties: false,
          properties: { format: { type: 'string', enum: ['csv', 'xlsx', 'json'] } },
        },
      },
    },
    async (request, reply) => {
      const { businessDate, rows } = await listHousingReferrals(db, requireActor(request));
      const format = request.query.format ?? 'json';
      if (format === 'csv') {
        return sendFile(
          reply,
          'text/csv; charset=utf-8',
          `housing-referrals-${businessDate}.csv`,
          referralsCsv(rows),
        );
      }
      if (format === 'xlsx') {
        return sendFile(
          reply,
          'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
          `housing-referrals-${businessDate}.xlsx`,
          await referralsXlsx(rows, businessDate),
        );
      }
      return { businessDate, items: rows };
    },
  );

  // The bank's payout results and returns need the exact bytes it signed: JSON is kept as text here.
  await app.register(async (raw) => {
    keepJsonAsText(raw);
    raw.post<{ Body: string }>(
      '/bank/payout-notifications',
      {
        config: { access: { public: true } },
        schema: {
          tags: ['bank'],
          summary:
            'Bank notification of a payout result (payout_result) or a returned payment (payout_return)',
          description:
            `Signed like /bank/notifications (header \`${BANK_SIGNATURE_HEADER}\`). Acts once per payout state: ` +
            'a repeat answers outcome "already".',
        },
      },
      async (request) => {
        const signature = request.headers[BANK_SIGNATURE_HEADER];
        return handlePayoutNotification(db, {
          rawBody: typeof request.body === 'string' ? request.body : '',
          signature: typeof signature === 'string' ? signature : null,
        });
      },
    );
  });
}
