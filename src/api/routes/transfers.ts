// Cross-city transfers (rules.md §5.4): staff, and depositors for their own account, start and cancel a
// transfer in; staff read the platform inbox, follow one transfer's messages and money, send its queued
// messages now and pay uncredited transfer-in money back; a depositor sees their own transfers; the
// transfer platform delivers its signed messages (its signature authenticates it).
import type { FastifyInstance } from 'fastify';
import { TRANSFER_SIGNATURE_HEADER } from '../../integrations/transfer-platform/gateway.ts';
import { cancelTransferIn } from '../../services/transfers/cancel-transfer-in.ts';
import { getTransfer } from '../../services/transfers/get-transfer.ts';
import { listTransfers } from '../../services/transfers/list-transfers.ts';
import { viewTransferDetails } from '../../services/transfers/view-transfer-details.ts';
import { receiveAndAnswer } from '../../services/transfers/platform-delivery.ts';
import { resendTransferMessages } from '../../services/transfers/resend-transfer-messages.ts';
import { returnTransferInFunds } from '../../services/transfers/return-transfer-in-funds.ts';
import { startTransferIn } from '../../services/transfers/start-transfer-in.ts';
import { TRANSFER_STAGES, type TransferStage } from '../../domain/transfer-stages.ts';
import { requireActor } from '../access.ts';
import { errorResponses, idParams, idSchema, yuanSchema } from '../schemas.ts';
import { keepJsonAsText } from '../raw-json.ts';

const nullableYuan = { anyOf: [yuanSchema, { type: 'null' }] } as const;

const transferSchema = {
  type: 'object',
  required: [
    'transferId',
    'transferNo',
    'direction',
    'businessType',
    'stage',
    'platformStatus',
    'cancellable',
  ],
  properties: {
    transferId: idSchema,
    transferNo: { type: 'string' },
    direction: { type: 'string', enum: ['in', 'out'] },
    businessType: { type: 'string', enum: ['07', '08'], description: '07 transfer out, 08 transfer in' },
    accountId: { type: ['string', 'null'] },
    depositorId: { type: ['string', 'null'] },
    peerCenterCode: { type: 'string' },
    peerCenterName: { type: 'string' },
    peerAccountNumber: { type: 'string' },
    stage: { type: 'string', enum: [...TRANSFER_STAGES] },
    platformStatus: {
      type: ['string', 'null'],
      description:
        'Platform status: 00 done, 01 letter reviewed, 02 letter accepted, 05 transfer-in cancelled, ' +
        '06 under negotiation, 08 account sheet reviewed, 13 transfer-out refused, 20 done after negotiation, 40 failed',
    },
    refusalReason: { type: ['string', 'null'] },
    principal: nullableYuan,
    interest: nullableYuan,
    funds: nullableYuan,
    monthsCredited: { type: 'integer' },
    businessDate: { type: 'string' },
    pendingMessages: { type: 'integer', description: 'Messages to the platform not yet acknowledged' },
    accountNumber: { type: ['string', 'null'], description: 'Our account (in the list and the details)' },
    depositorName: { type: ['string', 'null'], description: 'Its holder (in the list and the details)' },
    cancellable: {
      type: 'boolean',
      description:
        'A transfer in the person may still cancel (POST /transfers/:id/cancel): neither sheet nor money has come',
    },
    fundsReturnable: {
      type: 'boolean',
      description:
        'Money of a transfer in that ended uncredited waits on 21904 and can be paid back (POST /transfers/:id/return-funds)',
    },
    returnSerial: { type: ['string', 'null'], description: 'Our bank serial of the money paid back' },
    returnedOn: { type: ['string', 'null'], description: 'When the money was paid back to the old center' },
    replayed: { type: 'boolean' },
  },
} as const;

const nullableString = { type: ['string', 'null'] } as const;

const transferDetailsSchema = {
  type: 'object',
  required: [...transferSchema.required, 'messages', 'entries', 'held'],
  properties: {
    ...transferSchema.properties,
    contactLetter: {
      anyOf: [{ type: 'object', additionalProperties: true }, { type: 'null' }],
      description: "The contact letter (联系函), the person's ID number masked",
    },
    accountSheet: {
      anyOf: [{ type: 'object', additionalProperties: true }, { type: 'null' }],
      description: 'The account information sheet (账户信息表) sent or received',
    },
    messages: {
      type: 'array',
      description: 'Every platform message of the transfer, in and out, in order: the timeline',
      items: {
        type: 'object',
        required: ['messageId', 'direction', 'type', 'state', 'createdAt'],
        properties: {
          messageId: { type: 'string' },
          direction: { type: 'string', enum: ['inbound', 'outbound'] },
          type: { type: 'string', enum: ['contact_letter', 'status', 'account_sheet', 'funds'] },
          seq: { type: ['integer', 'null'] },
          state: { type: 'string' },
          outcome: nullableString,
          detail: nullableString,
          attempts: { type: 'integer' },
          lastError: nullableString,
          createdAt: { type: 'string' },
          sentAt: nullableString,
          status: nullableString,
          reason: nullableString,
          amount: nullableString,
        },
      },
    },
    entries: {
      type: 'array',
      items: {
        type: 'object',
        properties: {
          entryId: idSchema,
          book: { type: 'string' },
          entryType: { type: 'string' },
          businessDate: { type: 'string' },
          memo: { type: 'string' },
          amount: yuanSchema,
        },
      },
    },
    held: {
      anyOf: [
        {
          type: 'object',
          required: ['ledgerAccount', 'amount'],
          properties: { ledgerAccount: { type: 'string' }, amount: yuanSchema },
        },
        { type: 'null' },
      ],
      description:
        'Money of this transfer still waiting: on 21904 (transfer-in funds before their sheet) or 21903 (transfer-out funds until the new center confirms)',
    },
  },
} as const;

const resendResultSchema = {
  type: 'object',
  required: [
    'transferId',
    'transferNo',
    'sent',
    'confirmedByQuery',
    'timedOut',
    'rejected',
    'stillQueued',
    'failed',
    'messages',
  ],
  properties: {
    transferId: idSchema,
    transferNo: { type: 'string' },
    sent: { type: 'integer', description: 'Sent and accepted by the platform now' },
    confirmedByQuery: {
      type: 'integer',
      description: 'Found already received by the platform (after an earlier time-out): not sent again',
    },
    timedOut: { type: 'integer', description: 'Unanswered again: stays queued for the next try' },
    rejected: { type: 'integer', description: 'Rejected by the platform now (final)' },
    stillQueued: { type: 'integer', description: 'Messages of the transfer still queued after this run' },
    failed: { type: 'integer', description: 'Messages of the transfer the platform rejected (final)' },
    messages: {
      type: 'array',
      description: 'The messages that were queued, as they stand after this run',
      items: {
        type: 'object',
        required: ['messageId', 'type', 'state', 'attempts'],
        properties: {
          messageId: { type: 'string' },
          type: { type: 'string', enum: ['contact_letter', 'status', 'account_sheet', 'funds'] },
          seq: { type: ['integer', 'null'] },
          state: { type: 'string', enum: ['pending', 'sent', 'failed'] },
          outcome: nullableString,
          attempts: { type: 'integer' },
          lastError: nullableString,
        },
      },
    },
  },
} as const;

export async function transferRoutes(app: FastifyInstance): Promise<void> {
  const { db } = app.deps;

  app.post<{
    Body: {
      accountId: string;
      oldCenterCode: string;
      oldCenterName: string;
      oldAccountNumber: string;
      idempotencyKey: string;
    };
  }>(
    '/transfers/in',
    {
      config: { access: { roles: ['teller', 'manager'], depositor: true } },
      schema: {
        tags: ['transfers'],
        summary:
          'Start a transfer in: send the contact letter to the old center (idempotent by idempotencyKey)',
        description:
          'The account must be open here (a depositor: their own; another is 404). The letter is sent through the transfer platform after the transfer is ' +
          'recorded; when the platform does not answer in time the letter stays queued (pendingMessages) and the ' +
          'close retries it with the same message id.',
        body: {
          type: 'object',
          required: ['accountId', 'oldCenterCode', 'oldCenterName', 'oldAccountNumber', 'idempotencyKey'],
          additionalProperties: false,
          properties: {
            accountId: idSchema,
            oldCenterCode: { type: 'string', minLength: 1, maxLength: 20 },
            oldCenterName: { type: 'string', minLength: 1, maxLength: 100 },
            oldAccountNumber: { type: 'string', minLength: 1, maxLength: 40 },
            idempotencyKey: { type: 'string', minLength: 8, maxLength: 100 },
          },
        },
        response: { 200: transferSchema, 201: transferSchema, ...errorResponses(400, 403, 404, 409, 422) },
      },
    },
    async (request, reply) => {
      const result = await startTransferIn({
        db,
        actor: requireActor(request),
        platform: app.deps.transferPlatform,
        ...request.body,
      });
      return reply.code(result.replayed ? 200 : 201).send(result);
    },
  );

  app.get<{ Querystring: { direction?: 'in' | 'out'; stage?: TransferStage; limit?: number } }>(
    '/transfers',
    {
      config: { access: { staff: true, depositor: true } },
      schema: {
        tags: ['transfers'],
        summary:
          'The transfer platform inbox: transfers in and out with their status (a depositor: their own)',
        querystring: {
          type: 'object',
          additionalProperties: false,
          properties: {
            direction: { type: 'string', enum: ['in', 'out'] },
            stage: { type: 'string', enum: [...TRANSFER_STAGES] },
            limit: { type: 'integer', minimum: 1, maximum: 500 },
          },
        },
        response: {
          200: {
            type: 'object',
            required: ['items'],
            properties: { items: { type: 'array', items: transferSchema } },
          },
          ...errorResponses(400, 401, 403),
        },
      },
    },
    async (request) => ({
      items: await listTransfers({ db, actor: requireActor(request), ...request.query }),
    }),
  );

  app.get<{ Params: { id: string } }>(
    '/transfers/:id',
    {
      config: { access: { staff: true, depositor: true } },
      schema: {
        tags: ['transfers'],
        summary: 'One transfer and its status (a depositor: only their own)',
        params: idParams(),
        response: { 200: transferSchema, ...errorResponses(401, 404) },
      },
    },
    async (request) => getTransfer(db, requireActor(request), request.params.id),
  );

  app.get<{ Params: { id: string } }>(
    '/transfers/:id/details',
    {
      config: { access: { staff: true } },
      schema: {
        tags: ['transfers'],
        summary:
          'One transfer as staff follow it: contact letter, account sheet, the platform messages in order, its entries and the money held on 21903 / 21904',
        description:
          'Every step of a transfer is a platform message handled by the system (a transfer out is checked, ' +
          'settled and paid when the letter arrives, and done when the new center confirms); this is the read-only record.',
        params: idParams(),
        response: { 200: transferDetailsSchema, ...errorResponses(401, 403, 404) },
      },
    },
    async (request) => viewTransferDetails(db, requireActor(request), request.params.id),
  );

  app.post<{ Params: { id: string } }>(
    '/transfers/:id/resend',
    {
      config: { access: { roles: ['teller', 'manager'] } },
      schema: {
        tags: ['transfers'],
        summary: "Send a transfer's queued platform messages now (as the close's retry step does)",
        description:
          'For when the platform was down and is back. Each queued message goes with its own message id and ' +
          'bytes; one that timed out before is first looked up on the platform (status query), so the peer acts ' +
          'on a message once, and a repeated call sends nothing already sent. A transfer sends its messages in ' +
          'order: after a time-out the later ones stay queued. A message the platform rejected (failed) is final ' +
          'and not resent. The call is recorded in the audit trail.',
        params: idParams(),
        response: { 200: resendResultSchema, ...errorResponses(401, 403, 404) },
      },
    },
    async (request) =>
      resendTransferMessages({
        db,
        actor: requireActor(request),
        platform: app.deps.transferPlatform,
        transferId: request.params.id,
      }),
  );

  app.post<{ Params: { id: string }; Body: { reason: string; idempotencyKey: string } }>(
    '/transfers/:id/cancel',
    {
      config: { access: { roles: ['teller', 'manager'], depositor: true } },
      schema: {
        tags: ['transfers'],
        summary:
          "Cancel a transfer in at the person's request: status 05 (转入撤销) goes to the old center (idempotent by idempotencyKey)",
        description:
          'A depositor cancels their own transfers (another is 404). ' +
          'Only a transfer in whose account sheet and funds have not yet arrived can be cancelled ' +
          '(422 TRANSFER_NOT_CANCELLABLE otherwise, nothing written). The transfer becomes cancelled, which frees the ' +
          'account for a new transfer; the status message with the reason is queued behind the letter and sent at ' +
          "once, or by the close's retry when the platform does not answer. An answer from the old center that " +
          'crossed the cancellation is not credited: its sheet is ignored and its money waits on 21904.',
        params: idParams(),
        body: {
          type: 'object',
          required: ['reason', 'idempotencyKey'],
          additionalProperties: false,
          properties: {
            reason: { type: 'string', minLength: 1, maxLength: 200 },
            idempotencyKey: { type: 'string', minLength: 8, maxLength: 100 },
          },
        },
        response: { 200: transferSchema, ...errorResponses(400, 401, 403, 404, 409, 422) },
      },
    },
    async (request) =>
      cancelTransferIn({
        db,
        actor: requireActor(request),
        platform: app.deps.transferPlatform,
        transferId: request.params.id,
        ...request.body,
      }),
  );

  app.post<{ Params: { id: string }; Body: { idempotencyKey: string } }>(
    '/transfers/:id/return-funds',
    {
      config: { access: { roles: ['finance', 'manager'] } },
      schema: {
        tags: ['transfers'],
        summary:
          'Pay the money of a transfer in that ended uncredited back to the old center (idempotent by idempotencyKey)',
        description:
          'For a transfer in that was refused, failed or cancelled while its money still arrived (it waits on ' +
          '21904): Dr 21904 / Cr 101 with our bank serial, and a funds message to the old center, sent at once or ' +
          "by the close's retry. Anything else is refused (422 TRANSFER_FUNDS_NOT_RETURNABLE) and nothing is written.",
        params: idParams(),
        body: {
          type: 'object',
          required: ['idempotencyKey'],
          additionalProperties: false,
          properties: { idempotencyKey: { type: 'string', minLength: 8, maxLength: 100 } },
        },
        response: { 200: transferSchema, ...errorResponses(400, 401, 403, 404, 409, 422) },
      },
    },
    async (request) =>
      returnTransferInFunds({
        db,
        actor: requireActor(request),
        platform: app.deps.transferPlatform,
        transferId: request.params.id,
        ...request.body,
      }),
  );

  // The platform's endpoint needs the exact bytes it signed, so JSON is kept as text here.
  await app.register(async (raw) => {
    keepJsonAsText(raw);
    raw.post<{ Body: string }>(
      '/transfer-platform/messages',
      {
        config: { access: { public: true } },
        schema: {
          tags: ['transfers'],
          summary:
            'Transfer platform: a signed message from a peer center (letter, status, account sheet, funds)',
          description:
            'Called by the transfer platform, not by users: there is no session. The request is authenticated by ' +
            `its signature: header \`${TRANSFER_SIGNATURE_HEADER}\` = HMAC-SHA256 (hex) of the exact raw body with the ` +
            'shared secret (ANJU_TRANSFER_SECRET). A bad signature is refused (401 TRANSFER_SIGNATURE_INVALID) and ' +
            'nothing is written. The messageId is the idempotency key: a repeat returns the first outcome and ' +
            'changes nothing. Ordered messages (seq) that overtook their predecessor are held (state held) and ' +
            'applied when it arrives.',
          response: {
            200: {
              type: 'object',
              required: ['messageId', 'state', 'replayed'],
              properties: {
                messageId: { type: 'string' },
                transferNo: { type: 'string' },
                type: { type: 'string' },
                state: { type: 'string', enum: ['processed', 'held', 'rejected'] },
                outcome: { type: ['string', 'null'] },
                detail: { type: ['string', 'null'] },
                transferId: { type: ['string', 'null'] },
                replayed: { type: 'boolean' },
                released: { type: 'integer' },
              },
            },
            ...errorResponses(400, 401, 409),
          },
        },
      },
      async (request) => {
        const signature = request.headers[TRANSFER_SIGNATURE_HEADER];
        return receiveAndAnswer(db, app.deps.transferPlatform, {
          rawBody: typeof request.body === 'string' ? request.body : '',
          signature: typeof signature === 'string' ? signature : null,
        });
      },
    );
  });
}
