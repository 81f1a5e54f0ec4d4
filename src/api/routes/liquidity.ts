// The pools' liquidity (rules.md §8): the month-end figures and alert levels, and computing a closed month
// again on demand (the close computes each month end by itself).
import type { FastifyInstance } from 'fastify';
import { AppError } from '../../domain/errors.ts';
import { isIsoMonth, monthOf } from '../../domain/dates.ts';
import type { Book } from '../../domain/journal.ts';
import { getBusinessDate } from '../../services/calendar/business-date.ts';
import { computePoolIndicators } from '../../services/liquidity/compute-pool-indicators.ts';
import { listPoolIndicators } from '../../services/liquidity/list-pool-indicators.ts';
import { requireActor } from '../access.ts';
import { errorResponses } from '../schemas.ts';

const LEVELS = ['normal', 'level1', 'level2', 'level3'] as const;
const nullablePct = { type: ['string', 'null'], description: 'Percent with 2 decimals; null without a base' };

const indicatorSchema = {
  type: 'object',
  required: ['book', 'month', 'alertLevel', 'previousLevel', 'indicatedLevel', 'change'],
  properties: {
    book: { type: 'string', enum: ['FLEX', 'MANDATORY'] },
    month: { type: 'string', description: 'YYYY-MM' },
    alertLevel: { type: 'string', enum: [...LEVELS], description: 'In force from the next day' },
    previousLevel: { type: 'string', enum: [...LEVELS] },
    indicatedLevel: {
      type: 'string',
      enum: [...LEVELS],
      description: 'What the month’s figures alone call for',
    },
    change: { type: 'string', enum: ['raised', 'stepped_down', 'held'] },
    loanRatioPct: { ...nullablePct, description: '个贷率: loan balance / deposit balance' },
    usageRatioPct: { ...nullablePct, description: '资金使用率: (loans + lent to the other pool) / deposits' },
    paymentRatePct: { ...nullablePct, description: '实缴率: periodic periods paid / due in the month' },
    capacity: { type: 'string', description: '资金容量: bank − 5 % reserve − approved loans not disbursed' },
    netFlow: { type: 'string', description: '资金净流量: the month’s change of the bank balance (101)' },
    loanBalance: { type: 'string' },
    depositBalance: { type: 'string' },
    bankBalance: { type: 'string' },
    pendingLoans: { type: 'string' },
    periodsDue: { type: 'integer' },
    periodsPaid: { type: 'integer' },
    computedOn: { type: 'string' },
  },
} as const;

export async function liquidityRoutes(app: FastifyInstance): Promise<void> {
  const { db } = app.deps;

  app.get<{ Querystring: { book?: Book; months?: number } }>(
    '/pool-indicators',
    {
      config: { access: { roles: ['finance', 'risk', 'manager'] } },
      schema: {
        tags: ['liquidity'],
        summary:
          'The pools’ month-end liquidity figures and alert levels (资金流动性, 预警级别), newest first',
        querystring: {
          type: 'object',
          additionalProperties: false,
          properties: {
            book: { type: 'string', enum: ['FLEX', 'MANDATORY'] },
            months: { type: 'integer', minimum: 1, maximum: 120 },
          },
        },
        response: {
          200: {
            type: 'object',
            required: ['items'],
            properties: { items: { type: 'array', items: indicatorSchema } },
          },
          ...errorResponses(400, 401, 403),
        },
      },
    },
    async (request) => ({ items: await listPoolIndicators(db, request.query) }),
  );

  app.post<{ Body: { month: string } }>(
    '/pool-indicators/compute',
    {
      config: { access: { roles: ['risk', 'manager'] } },
      schema: {
        tags: ['liquidity'],
        summary:
          'Compute a closed month’s liquidity figures and alert level again (the close does it each month end)',
        description:
          'Only a month before the current business month. A rerun writes the same figures from the same books; ' +
          'a change of level is audited once.',
        body: {
          type: 'object',
          required: ['month'],
          additionalProperties: false,
          properties: { month: { type: 'string', description: 'YYYY-MM' } },
        },
        response: {
          200: {
            type: 'object',
            required: ['items'],
            properties: { items: { type: 'array', items: indicatorSchema } },
          },
          ...errorResponses(400, 401, 403),
        },
      },
    },
    async (request) => {
      const { month } = request.body;
      if (!isIsoMonth(month)) throw new AppError('VALIDATION_FAILED', { field: 'month' });
      if (month >= monthOf(await getBusinessDate(db)))
        throw new AppError('VALIDATION_FAILED', {
          field: 'month',
          details: { reason: 'the month is not closed' },
        });
      return { items: await computePoolIndicators({ db, month, actor: requireActor(request) }) };
    },
  );
}
