// The bank side of the API: the notification endpoint the bank calls (authenticated by its signature,
// not a session), portal payment orders, and the simulated bank's payment page used by the demo.
import type { FastifyInstance, FastifyReply } from 'fastify';
import { AppError } from '../../domain/errors.ts';
import { fenToYuanString } from '../../domain/money.ts';
import { BANK_SIGNATURE_HEADER } from '../../integrations/bank/gateway.ts';
import { InProcessBank } from '../../integrations/bank/in-process-bank.ts';
import { handleBankNotification } from '../../services/deposits/handle-bank-notification.ts';
import {
  createPaymentOrder,
  findOrderByNumber,
  getPaymentOrder,
} from '../../services/deposits/create-payment-order.ts';
import { getBusinessDate } from '../../services/calendar/business-date.ts';
import { requireActor } from '../access.ts';
import { errorResponses, idParams, idSchema, timestampSchema, yuanSchema } from '../schemas.ts';
import { keepJsonAsText } from '../raw-json.ts';

const orderSchema = {
  type: 'object',
  required: ['orderId', 'orderNo', 'accountId', 'amount', 'status', 'createdOn', 'expiresAt'],
  properties: {
    orderId: idSchema,
    orderNo: { type: 'string' },
    accountId: idSchema,
    amount: yuanSchema,
    periodId: { type: ['string', 'null'] },
    status: { type: 'string', enum: ['open', 'paid', 'cancelled', 'expired'] },
    createdOn: { type: 'string' },
    expiresAt: timestampSchema,
    depositId: { type: ['string', 'null'] },
    payUrl: { type: 'string' },
    replayed: { type: 'boolean' },
  },
} as const;

const orderNoParams = {
  type: 'object',
  required: ['orderNo'],
  properties: { orderNo: { type: 'string', pattern: '^[0-9A-Za-z_-]{1,64}$' } },
} as const;

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

function page(reply: FastifyReply, title: string, body: string): FastifyReply {
  return reply
    .type('text/html; charset=utf-8')
    .send(
      `<!doctype html><html lang="zh-CN"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width">` +
        `<title>${escapeHtml(title)}</title></head><body style="font-family:sans-serif;max-width:28rem;margin:2rem auto">` +
        `<p style="color:#888">模拟银行 · Simulated bank (demo only)</p>${body}</body></html>`,
    );
}

export async function bankRoutes(app: FastifyInstance): Promise<void> {
  const { db } = app.deps;

  // The notification endpoint needs the exact bytes the bank signed, so JSON is kept as text here.
  await app.register(async (raw) => {
    keepJsonAsText(raw);
    raw.post<{ Body: string }>(
      '/bank/notifications',
      {
        config: { access: { public: true } },
        schema: {
          tags: ['bank'],
          summary: 'Bank notification: a credit for a payment order, or a debit result',
          description:
            'Called by the bank, not by users: there is no session. The request is authenticated by its signature: ' +
            `header \`${BANK_SIGNATURE_HEADER}\` = HMAC-SHA256 (hex) of the exact raw body with the shared secret ` +
            '(ANJU_BANK_SECRET). A bad signature is recorded and refused (401 BANK_SIGNATURE_INVALID). The bank serial ' +
            'is the idempotency key: a repeated serial returns the first outcome and credits nothing. Body: ' +
            '{ serial, kind: credit|debit_result, orderNo?, requestNo?, accountNumber?, amount (yuan), valueDate, ' +
            'status: success|failed, failureCode? }.',
          response: {
            200: {
              type: 'object',
              required: ['serial', 'outcome', 'replayed'],
              properties: {
                notificationId: idSchema,
                serial: { type: 'string' },
                kind: { type: 'string' },
                outcome: { type: 'string' },
                detail: { type: ['string', 'null'] },
                depositId: { type: ['string', 'null'] },
                replayed: { type: 'boolean' },
              },
            },
            ...errorResponses(400, 401),
          },
        },
      },
      async (request) => {
        const signature = request.headers[BANK_SIGNATURE_HEADER];
        return handleBankNotification(db, {
          rawBody: typeof request.body === 'string' ? request.body : '',
          signature: typeof signature === 'string' ? signature : null,
        });
      },
    );
  });

  app.post<{ Body: { accountId: string; amount: string; periodId?: string; idempotencyKey: string } }>(
    '/payment-orders',
    {
      config: { access: { depositor: true, roles: ['teller', 'manager'] } },
      schema: {
        tags: ['deposits'],
        summary: 'Create a portal payment order and get the bank payment page (idempotent by idempotencyKey)',
        description:
          'The amount is checked as the deposit itself will be (limits in force, annual room, the period amount for ' +
          'periodic plans) before any money moves. A depositor may only pay into their own account.',
        body: {
          type: 'object',
          required: ['accountId', 'amount', 'idempotencyKey'],
          additionalProperties: false,
          properties: {
            accountId: idSchema,
            amount: { type: 'string', maxLength: 20 },
            periodId: idSchema,
            idempotencyKey: { type: 'string', minLength: 8, maxLength: 100 },
          },
        },
        response: { 200: orderSchema, 201: orderSchema, ...errorResponses(400, 403, 404, 409, 422) },
      },
    },
    async (request, reply) => {
      const result = await createPaymentOrder({
        db,
        actor: requireActor(request),
        bank: app.deps.bank,
        now: app.deps.now(),
        ...request.body,
      });
      return reply.code(result.replayed ? 200 : 201).send(result);
    },
  );

  app.get<{ Params: { id: string } }>(
    '/payment-orders/:id',
    {
      config: { access: { depositor: true, staff: true } },
      schema: {
        tags: ['deposits'],
        summary: 'A payment order and whether it was paid',
        params: idParams(),
        response: { 200: orderSchema, ...errorResponses(404) },
      },
    },
    async (request) => getPaymentOrder(db, requireActor(request), request.params.id, app.deps.now()),
  );

  // ---- the simulated bank's payment page (demo) --------------------------------------------------------

  const simulator = (): InProcessBank => {
    const bank = app.deps.bank;
    if (!(bank instanceof InProcessBank)) throw new AppError('BANK_SIMULATOR_ABSENT');
    return bank;
  };

  app.get<{ Params: { orderNo: string } }>(
    '/bank-sim/pay/:orderNo',
    {
      config: { access: { public: true } },
      schema: {
        tags: ['bank'],
        summary: 'Simulated bank: the payment page of an order (HTML, demo only)',
        params: orderNoParams,
      },
    },
    async (request, reply) => {
      simulator();
      const order = await findOrderByNumber(db, request.params.orderNo);
      if (!order) throw new AppError('BANK_PAGE_UNKNOWN', { field: 'orderNo' });
      const orderNo = escapeHtml(order.order_no);
      const amount = fenToYuanString(order.amount_fen);
      if (order.status === 'paid')
        return page(reply, '已支付', `<h1>订单 ${orderNo}</h1><p>¥${amount}</p><p>已支付 Paid.</p>`);
      return page(
        reply,
        '模拟银行收银台',
        `<h1>订单 ${orderNo}</h1><p>金额 Amount: ¥${amount}</p>` +
          `<form method="post"><button type="submit" style="font-size:1.2rem;padding:.5rem 2rem">支付 Pay</button></form>`,
      );
    },
  );

  // The pay button posts a form; nothing in it is used, so the form body is read as text and ignored.
  await app.register(async (sim) => {
    sim.addContentTypeParser(
      'application/x-www-form-urlencoded',
      { parseAs: 'string' },
      (_request, body, done) => done(null, body),
    );
    sim.post<{ Params: { orderNo: string } }>(
      '/bank-sim/pay/:orderNo',
      {
        config: { access: { public: true } },
        schema: {
          tags: ['bank'],
          summary: 'Simulated bank: pay the order (the simulator then sends the signed credit notification)',
          params: orderNoParams,
        },
      },
      async (request, reply) => {
        const bank = simulator();
        const order = await findOrderByNumber(db, request.params.orderNo);
        if (!order) throw new AppError('BANK_PAGE_UNKNOWN', { field: 'orderNo' });
        // After a restart the simulator forgot its pages; the order row tells it again.
        if (!bank.page(order.order_no))
          await bank.createPaymentPage({ orderNo: order.order_no, amountFen: order.amount_fen });
        const paid = await bank.pay(order.order_no, { valueDate: await getBusinessDate(db) });
        const after = await findOrderByNumber(db, order.order_no);
        const result = {
          orderNo: order.order_no,
          serial: paid.serial,
          replayed: paid.replayed,
          orderStatus: after?.status ?? order.status,
        };
        if (request.headers['content-type']?.startsWith('application/x-www-form-urlencoded')) {
          return page(
            reply,
            '支付结果',
            `<h1>订单 ${escapeHtml(order.order_no)}</h1><p>银行流水 Serial: ${escapeHtml(paid.serial)}</p>` +
              `<p>${result.orderStatus === 'paid' ? '已入账 Credited.' : '银行已收款，等待入账 Paid, awaiting credit.'}</p>`,
          );
        }
        return result;
      },
    );
  });
}
