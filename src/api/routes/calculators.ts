// The public calculators (rules.md §4.1 interest, §4.2 subsidy, §6.2–6.4 loans): the same readers and
// output as `anju calc … --json` (src/domain/calculators.ts, src/domain/loans/calculators.ts). JSON in,
// JSON out, money as yuan strings.
import type { FastifyInstance } from 'fastify';
import { calculateInterest, calculateSubsidy } from '../../domain/calculators.ts';
import { calculateAffordability, calculateQuota, calculateSchedule } from '../../domain/loans/calculators.ts';

const yuan = { type: 'string', description: 'yuan, at most two decimals', examples: ['10000.00'] };
const date = { type: 'string', description: 'YYYY-MM-DD' };
const rate = { type: 'string', description: 'annual rate in percent', examples: ['1.5'] };
const months = { type: 'integer', description: 'term in months, 1–360', examples: [360] };
const method = {
  type: 'string',
  description: 'equal-installment (等额本息, default) or equal-principal (等额本金)',
  examples: ['equal-installment'],
};
const count = { type: 'integer', description: 'a whole number ≥ 0' };

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
  app.post(
    '/calc/schedule',
    {
      config: { access: { public: true } },
      schema: {
        tags: ['calculators'],
        summary:
          'Loan repayment schedule (rules.md §6.4): equal installment or equal principal, half-up to the fen; with a disbursement date, due dates and the first period by actual days / 30',
        body: {
          type: 'object',
          required: ['principal', 'annualRate', 'months'],
          properties: {
            principal: yuan,
            annualRate: { ...rate, examples: ['2.6'] },
            months,
            method,
            disbursed: { ...date, description: 'disbursement date YYYY-MM-DD (optional)' },
          },
        },
      },
    },
    async (request) => calculateSchedule(request.body),
  );

  app.post(
    '/calc/affordability',
    {
      config: { access: { public: true } },
      schema: {
        tags: ['calculators'],
        summary:
          'Repayment capacity (rules.md §6.2 B): the largest principal whose installment ≤ 50 % × (income − debts)',
        body: {
          type: 'object',
          required: ['income', 'annualRate', 'months'],
          properties: {
            income: { ...yuan, description: 'verified monthly household income, yuan' },
            debts: { ...yuan, description: 'existing monthly debt payments, yuan' },
            annualRate: { ...rate, examples: ['2.6'] },
            months,
            method,
          },
        },
      },
    },
    async (request) => calculateAffordability(request.body),
  );

  app.post(
    '/calc/quota',
    {
      config: { access: { public: true } },
      schema: {
        tags: ['calculators'],
        summary:
          'Loan quota (rules.md §6.2) = min(A deposit-linked, B repayment, C price, D cap), down to 1,000 yuan, with every factor, candidate and the binding one',
        body: {
          type: 'object',
          required: ['applicantBalance', 'consecutiveMonths', 'coveredMonthsLast12', 'income', 'price'],
          properties: {
            applicantBalance: yuan,
            spouseBalance: yuan,
            spouseDepositor: { type: 'boolean' },
            consecutiveMonths: count,
            coveredMonthsLast12: count,
            monthsSinceOpening: count,
            alertLevel: { type: 'string', description: 'normal (default), level1, level2, level3' },
            creditGrade: { type: 'string', description: 'A, B (default), C; D is not eligible' },
            income: yuan,
            debts: yuan,
            price: yuan,
            home: { type: 'string', description: 'first (default) or second' },
            children: count,
            annualRate: {
              ...rate,
              description: 'annual rate in percent; default: the table rate on contractDate',
            },
            contractDate: date,
            birthDate: date,
            retirementGroup: { type: 'string', description: 'male, female55 or female50' },
            months: { ...months, description: 'term in months; default: the maximum term' },
            method,
          },
        },
      },
    },
    async (request) => calculateQuota(request.body),
  );
}
