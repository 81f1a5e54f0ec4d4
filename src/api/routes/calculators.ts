// The public calculators (rules.md §4.1 interest, §4.2 subsidy): the same readers and output as
// `anju calc … --json` (src/domain/calculators.ts). JSON in, JSON out, money as yuan strings.
import type { FastifyInstance } from 'fastify';
import { calculateInterest, calculateSubsidy } from '../../domain/calculators.ts';

const yuan = { type: 'string', description: 'yuan, at most two decimals', examples: ['10000.00'] };
const date = { type: 'string', description: 'YYYY-MM-DD' };
const rate = { type: 'string', description: 'annual rate in percent', examples: ['1.5'] };

export async function calculatorRoutes(app: FastifyInstance): Promise<void> {
  app.post(
    '/calc/interest',
    {
      config: { access: { public: true } },
      schema: {
        tags: ['calculators'],
        summary: 'Balance-days and interest: actual days / 360, both ends included, half-up to the fen',
        body: {
          type: 'object',
          required: ['from', 'to', 'annualRate'],
          properties: {
            from: date,
            to: date,
            openingBalance: yuan,
            annualRate: rate,
            movements: {
              type: 'array',
              maxItems: 10_000,
              items: {
                type: 'object',
                properties: { date, amount: { ...yuan, description: 'signed yuan' } },
              },
            },
          },
        },
      },
    },
    async (request) => calculateInterest(request.body),
  );

  app.post(
    '/calc/subsidy',
    {
      config: { access: { public: true } },
      schema: {
        tags: ['calculators'],
        summary: 'The deposit subsidy on closure and the rule that decides it',
        body: {
          type: 'object',
          required: ['closureDate', 'annualRate', 'deposits'],
          properties: {
            closureDate: date,
            annualRate: rate,
            deposits: {
              type: 'array',
              maxItems: 10_000,
              items: { type: 'object', properties: { date, amount: yuan } },
            },
            cap: yuan,
            alreadyPaid: yuan,
            firstDepositDate: date,
            used: {
              type: 'object',
              properties: {
                withdrawal: { type: 'boolean' },
                loan: { type: 'boolean' },
                transferOut: { type: 'boolean' },
                conversion: { type: 'boolean' },
              },
            },
          },
        },
      },
    },
    async (request) => calculateSubsidy(request.body),
  );
}
