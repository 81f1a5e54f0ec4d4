// Deposit-linked loans over HTTP (rules.md §6): the quota preview and the application (staff at the
// counter, the depositor for themself on the portal), each workflow step for the role that owns it, the
// loan with its quota explanation and schedule (a depositor sees only their own), and the contract PDF.
// The credit bureau is the in-process simulator unless loanRoutesWith is given another.
import type { FastifyInstance, FastifyReply } from 'fastify';
import { requireActor } from '../access.ts';
import { dateSchema, errorResponses, idParams, idSchema, yuanSchema } from '../schemas.ts';
import type { CreditBureau } from '../../integrations/credit-bureau/gateway.ts';
import { InProcessCreditBureau } from '../../integrations/credit-bureau/in-process-credit-bureau.ts';
import type { LoanRequestInput } from '../../services/loans/assess-loan.ts';
import { previewLoanQuota } from '../../services/loans/preview-loan-quota.ts';
import { applyForLoan } from '../../services/loans/apply-for-loan.ts';
import { reviewLoan } from '../../services/loans/review-loan.ts';
import { approveLoan } from '../../services/loans/approve-loan.ts';
import { rejectLoan } from '../../services/loans/reject-loan.ts';
import { signLoanContract } from '../../services/loans/sign-loan-contract.ts';
import { recordMortgage } from '../../services/loans/record-mortgage.ts';
import { disburseLoan } from '../../services/loans/disburse-loan.ts';
import { confirmLoanDisbursement } from '../../services/loans/confirm-loan-disbursement.ts';
import { listLoans, viewLoan } from '../../services/loans/view-loan.ts';
import { loanContractPdf } from '../../services/loans/loan-contract-document.ts';
import { setBalanceOffset } from '../../services/loans/set-balance-offset.ts';
import { repayLoan } from '../../services/loans/repay-loan.ts';
import { viewLoanRepayments } from '../../services/loans/view-loan-repayments.ts';
import { listOverdueLoans } from '../../services/loans/list-overdue-loans.ts';
import { refundLoanOverpayment } from '../../services/loans/refund-loan-overpayment.ts';
import { prepayLoan } from '../../services/loans/prepay-loan.ts';
import { settleLoan } from '../../services/loans/settle-loan.ts';
import { loanSettlementCertificatePdf } from '../../services/loans/loan-settlement-certificate.ts';

const text = (max: number) => ({ type: 'string', minLength: 1, maxLength: max }) as const;
const yuan = { type: 'string', pattern: '^\\d{1,12}(\\.\\d{1,2})?$' } as const;

const loanRequestProperties = {
  depositorId: { type: 'string', pattern: '^\\d{1,19}$' },
  spouse: {
    type: ['object', 'null'],
    additionalProperties: false,
    properties: {
      depositorId: { type: 'string', pattern: '^\\d{1,19}$' },
      name: text(50),
      idNumber: text(20),
    },
  },
  house: {
    type: 'object',
    required: ['address', 'areaSqm', 'price', 'home', 'inCity'],
    additionalProperties: false,
    properties: {
      address: text(200),
      areaSqm: { type: 'string', pattern: '^\\d{1,6}(\\.\\d{1,2})?$' },
      price: yuan,
      home: { type: 'string', enum: ['first', 'second'] },
      inCity: { type: 'boolean' },
    },
  },
  children: { type: 'integer', minimum: 0, maximum: 20 },
  income: {
    type: 'object',
    required: ['monthlyIncome', 'monthlyDebts', 'evidence'],
    additionalProperties: false,
    properties: { monthlyIncome: yuan, monthlyDebts: yuan, evidence: text(100) },
  },
  seller: {
    type: 'object',
    required: ['name', 'bankName', 'bankAccount'],
    additionalProperties: false,
    properties: {
      name: text(100),
      bankName: text(100),
      bankAccount: { type: 'string', pattern: '^\\d{8,30}$' },
    },
  },
  amount: yuan,
  termMonths: { type: 'integer', minimum: 1, maximum: 600 },
  method: { type: 'string', enum: ['equal-installment', 'equal-principal'] },
} as const;

const REQUEST_REQUIRED = ['depositorId', 'house', 'income', 'amount', 'termMonths', 'method'] as const;

type ApplyBody = LoanRequestInput & {
  seller: { name: string; bankName: string; bankAccount: string };
  idempotencyKey: string;
};

function sendPdf(reply: FastifyReply, fileName: string, pdf: Buffer): FastifyReply {
  return reply
    .type('application/pdf')
    .header('content-disposition', `inline; filename="${fileName}"`)
    .header('cache-control', 'private, no-store')
    .send(pdf);
}

/** The simulator used when no bureau is given (the demo and the API tests: clean reports for everyone). */
export const defaultCreditBureau = new InProcessCreditBureau();

export function loanRoutesWith(bureau: CreditBureau) {
  return async function loanRoutes(app: FastifyInstance): Promise<void> {
    const { db } = app.deps;

    app.post<{ Body: LoanRequestInput }>(
      '/loans/quota-preview',
      {
        config: { access: { roles: ['teller', 'reviewer', 'manager'], depositor: true } },
        schema: {
          tags: ['loans'],
          summary: 'Eligibility (every failed rule) and the quota with every factor, for a request',
          body: {
            type: 'object',
            required: [...REQUEST_REQUIRED],
            additionalProperties: false,
            properties: loanRequestProperties,
          },
        },
      },
      async (request) =>
        previewLoanQuota({ db, actor: requireActor(request), bureau, request: request.body }),
    );

    app.post<{ Body: ApplyBody }>(
      '/loans',
      {
        config: { access: { roles: ['teller', 'manager'], depositor: true } },
        schema: {
          tags: ['loans'],
          summary:
            'Apply for a loan (idempotent by idempotencyKey); refused with every reason when ineligible',
          body: {
            type: 'object',
            required: [...REQUEST_REQUIRED, 'seller', 'idempotencyKey'],
            additionalProperties: false,
            properties: {
              ...loanRequestProperties,
              idempotencyKey: { type: 'string', minLength: 8, maxLength: 100 },
            },
          },
        },
      },
      async (request, reply) => {
        const { idempotencyKey, ...body } = request.body;
        const result = await applyForLoan({
          db,
          actor: requireActor(request),
          bureau,
          request: body,
          idempotencyKey,
        });
        return reply.code(result.replayed ? 200 : 201).send(result);
      },
    );

    app.get<{ Querystring: { depositorId?: string; status?: string } }>(
      '/loans',
      {
        config: { access: { staff: true, depositor: true } },
        schema: {
          tags: ['loans'],
          summary:
            'Loans, newest first, each naming its borrower (name and masked ID number); a depositor: their own',
          querystring: {
            type: 'object',
            additionalProperties: false,
            properties: {
              depositorId: { type: 'string', pattern: '^\\d{1,19}$' },
              status: { type: 'string', maxLength: 20 },
            },
          },
        },
      },
      async (request) => ({ loans: await listLoans({ db, actor: requireActor(request), ...request.query }) }),
    );

    app.get<{ Params: { id: string } }>(
      '/loans/:id',
      {
        config: { access: { staff: true, depositor: true } },
        schema: {
          tags: ['loans'],
          summary: 'A loan: status, steps, quota explanation, disbursement and schedule',
          params: idParams(),
        },
      },
      async (request) => viewLoan({ db, actor: requireActor(request), loanId: request.params.id }),
    );

    app.get<{ Params: { id: string } }>(
      '/loans/:id/contract.pdf',
      {
        config: { access: { staff: true, depositor: true } },
        schema: { tags: ['loans'], summary: 'The loan contract with its schedule (PDF)', params: idParams() },
      },
      async (request, reply) => {
        const { fileName, pdf } = await loanContractPdf({
          db,
          actor: requireActor(request),
          loanId: request.params.id,
        });
        return sendPdf(reply, fileName, pdf);
      },
    );

    // Early payment (rules.md §6.5): a partial prepayment, the full settlement and its certificate.
    const payoffBody = {
      funding: { type: 'string', enum: ['hpf-balance', 'bank'] },
      bankReference: { type: 'string', pattern: '^[\\w-]{1,64}$' },
      idempotencyKey: { type: 'string', minLength: 8, maxLength: 100 },
    } as const;

    app.post<{
      Params: { id: string };
      Body: { amount: string; mode: string; funding: string; bankReference?: string; idempotencyKey: string };
    }>(
      '/loans/:id/prepayments',
      {
        config: { access: { roles: ['teller', 'finance', 'manager'] } },
        schema: {
          tags: ['loans'],
          summary:
            'Partial prepayment (idempotent): keep-term lowers the installment, keep-installment shortens the term',
          params: idParams(),
          body: {
            type: 'object',
            required: ['amount', 'mode', 'funding', 'idempotencyKey'],
            additionalProperties: false,
            properties: {
              amount: yuan,
              mode: { type: 'string', enum: ['keep-term', 'keep-installment'] },
              ...payoffBody,
            },
          },
        },
      },
      async (request, reply) => {
        const result = await prepayLoan({
          db,
          actor: requireActor(request),
          loanId: request.params.id,
          ...request.body,
        });
        return reply.code(result.replayed ? 200 : 201).send(result);
      },
    );

    app.post<{
      Params: { id: string };
      Body: { funding: string; bankReference?: string; idempotencyKey: string };
    }>(
      '/loans/:id/settlement',
      {
        config: { access: { roles: ['teller', 'finance', 'manager'] } },
        schema: {
          tags: ['loans'],
          summary: 'Full settlement (idempotent): remaining principal + interest to today; loan → settled',
          params: idParams(),
          body: {
            type: 'object',
            required: ['funding', 'idempotencyKey'],
            additionalProperties: false,
            properties: payoffBody,
          },
        },
      },
      async (request, reply) => {
        const result = await settleLoan({
          db,
          actor: requireActor(request),
          loanId: request.params.id,
          ...request.body,
        });
        return reply.code(result.replayed ? 200 : 201).send(result);
      },
    );

    app.get<{ Params: { id: string } }>(
      '/loans/:id/settlement-certificate.pdf',
      {
        config: { access: { staff: true, depositor: true } },
        schema: {
          tags: ['loans'],
          summary: 'The settlement certificate of a settled loan (PDF)',
          params: idParams(),
        },
      },
      async (request, reply) => {
        const { fileName, pdf } = await loanSettlementCertificatePdf({
          db,
          actor: requireActor(request),
          loanId: request.params.id,
        });
        return sendPdf(reply, fileName, pdf);
      },
    );

    // review and approve take no body, or { note } (kept in the audit row).
    const noteOf = (body: unknown): { note?: string } => {
      const note = (body as { note?: unknown } | undefined)?.note;
      return typeof note === 'string' ? { note: note.slice(0, 500) } : {};
    };

    app.post<{ Params: { id: string } }>(
      '/loans/:id/review',
      {
        config: { access: { roles: ['teller'] } },
        schema: {
          tags: ['loans'],
          summary: 'First check by a teller: applied → reviewed',
          params: idParams(),
        },
      },
      async (request) =>
        reviewLoan({ db, actor: requireActor(request), loanId: request.params.id, ...noteOf(request.body) }),
    );

    app.post<{ Params: { id: string } }>(
      '/loans/:id/approve',
      {
        config: { access: { roles: ['reviewer', 'manager'] } },
        schema: {
          tags: ['loans'],
          summary: 'Approval by a reviewer, then by a manager above the threshold (never the reviewer)',
          params: idParams(),
        },
      },
      async (request) =>
        approveLoan({ db, actor: requireActor(request), loanId: request.params.id, ...noteOf(request.body) }),
    );

    app.post<{ Params: { id: string }; Body: { reason: string } }>(
      '/loans/:id/reject',
      {
        config: { access: { roles: ['teller', 'reviewer', 'manager'] } },
        schema: {
          tags: ['loans'],
          summary: 'Reject at the current step, with the reason',
          params: idParams(),
          body: {
            type: 'object',
            required: ['reason'],
            additionalProperties: false,
            properties: { reason: { type: 'string', maxLength: 500 } },
          },
        },
      },
      async (request) =>
        rejectLoan({
          db,
          actor: requireActor(request),
          loanId: request.params.id,
          reason: request.body.reason,
        }),
    );

    app.post<{ Params: { id: string } }>(
      '/loans/:id/contract',
      {
        config: { access: { roles: ['teller', 'manager'] } },
        schema: { tags: ['loans'], summary: 'Sign the contract: approved → contracted', params: idParams() },
      },
      async (request) => {
        const { pdf, ...loan } = await signLoanContract({
          db,
          actor: requireActor(request),
          loanId: request.params.id,
        });
        void pdf;
        return loan;
      },
    );

    app.post<{
      Params: { id: string };
      Body: { certificateNo: string; address: string; areaSqm: string; price: string };
    }>(
      '/loans/:id/mortgage',
      {
        config: { access: { roles: ['teller', 'manager'] } },
        schema: {
          tags: ['loans'],
          summary: 'Record the mortgage registration: contracted → mortgaged',
          params: idParams(),
          body: {
            type: 'object',
            required: ['certificateNo', 'address', 'areaSqm', 'price'],
            additionalProperties: false,
            properties: {
              certificateNo: text(60),
              address: text(200),
              areaSqm: { type: 'string', pattern: '^\\d{1,6}(\\.\\d{1,2})?$' },
              price: yuan,
            },
          },
        },
      },
      async (request) =>
        recordMortgage({ db, actor: requireActor(request), loanId: request.params.id, ...request.body }),
    );

    app.post<{ Params: { id: string } }>(
      '/loans/:id/disburse',
      {
        config: { access: { roles: ['finance', 'manager'] } },
        schema: {
          tags: ['loans'],
          summary: 'Disburse to the seller through the bank and fix the schedule (once)',
          params: idParams(),
        },
      },
      async (request) =>
        disburseLoan({ db, bank: app.deps.bank, actor: requireActor(request), loanId: request.params.id }),
    );

    app.post<{ Params: { requestNo: string }; Body: { bankSerial: string } }>(
      '/loan-disbursements/:requestNo/confirm',
      {
        config: { access: { roles: ['finance', 'manager'] } },
        schema: {
          tags: ['loans'],
          summary: 'The bank paid the disbursement out: Dr 21903 / Cr 101 (once)',
          params: {
            type: 'object',
            required: ['requestNo'],
            properties: { requestNo: { type: 'string', pattern: '^LD\\d{14}$' } },
          },
          body: {
            type: 'object',
            required: ['bankSerial'],
            additionalProperties: false,
            properties: { bankSerial: { type: 'string', pattern: '^[\\w-]{1,64}$' } },
          },
        },
      },
      async (request) =>
        confirmLoanDisbursement({
          db,
          actor: requireActor(request),
          requestNo: request.params.requestNo,
          bankSerial: request.body.bankSerial,
        }),
    );

    repaymentRoutes(app);
  };
}

/** A refund of a loan over-payment as the API returns it (refund-loan-overpayment.ts). */
const loanRefundSchema = {
  type: 'object',
  properties: {
    refundId: idSchema,
    loanId: idSchema,
    amount: yuanSchema,
    status: { type: 'string', enum: ['posted'], description: 'Written: Dr 21909 / Cr 21903 and its payout' },
    lines: {
      type: 'array',
      description: 'Which repayments’ over-payment it pays back (oldest first)',
      items: { type: 'object', properties: { repaymentId: idSchema, amount: yuanSchema } },
    },
    journalEntryId: idSchema,
    payoutId: idSchema,
    requestNo: { type: 'string' },
    bankName: { type: 'string' },
    bankCard: { type: 'string', description: 'Masked' },
    businessDate: dateSchema,
    payoutStatus: {
      type: 'string',
      enum: ['pending', 'sent', 'accepted', 'confirmed', 'rejected', 'returned'],
      description: 'Where the payout stands now (it is sent to the bank right after the refund is written)',
    },
    replayed: { type: 'boolean', description: 'The same idempotency key again: the first refund' },
  },
} as const;

/** Repayment (rules.md §6.5): monthly offset, counter repayments, the repayment view and the collection list. */
function repaymentRoutes(app: FastifyInstance): void {
  const { db } = app.deps;

  app.post<{ Params: { id: string }; Body: { signed: boolean } }>(
    '/loans/:id/balance-offset',
    {
      config: { access: { roles: ['teller', 'manager'], depositor: true } },
      schema: {
        tags: ['loans'],
        summary: 'Sign (signed: true) or cancel monthly balance offset (冲还贷) for the loan; audited',
        params: idParams(),
        body: {
          type: 'object',
          required: ['signed'],
          additionalProperties: false,
          properties: { signed: { type: 'boolean' } },
        },
      },
    },
    async (request) =>
      setBalanceOffset({
        db,
        actor: requireActor(request),
        loanId: request.params.id,
        signed: request.body.signed,
      }),
  );

  app.post<{
    Params: { id: string };
    Body: { amount: string; bankReference?: string; idempotencyKey: string };
  }>(
    '/loans/:id/repayments',
    {
      config: { access: { roles: ['teller', 'finance', 'manager'] } },
      schema: {
        tags: ['loans'],
        summary:
          'Counter repayment: penalty → overdue interest → overdue principal → current installment (idempotent)',
        params: idParams(),
        body: {
          type: 'object',
          required: ['amount', 'idempotencyKey'],
          additionalProperties: false,
          properties: {
            amount: yuan,
            bankReference: { type: 'string', pattern: '^[\\w-]{1,64}$' },
            idempotencyKey: { type: 'string', minLength: 8, maxLength: 100 },
          },
        },
      },
    },
    async (request, reply) => {
      const result = await repayLoan({
        db,
        actor: requireActor(request),
        loanId: request.params.id,
        ...request.body,
      });
      return reply.code(result.replayed ? 200 : 201).send(result);
    },
  );

  app.get<{ Params: { id: string } }>(
    '/loans/:id/repayments',
    {
      config: { access: { staff: true, depositor: true } },
      schema: {
        tags: ['loans'],
        summary:
          'Repayment history, arrears, days past due, class and marks of a loan; over-payments held on 21909 and their refunds',
        params: idParams(),
      },
    },
    async (request) => viewLoanRepayments({ db, actor: requireActor(request), loanId: request.params.id }),
  );

  app.post<{
    Params: { id: string };
    Body: { repaymentId?: string; amount?: string; idempotencyKey: string };
  }>(
    '/loans/:id/overpayment-refunds',
    {
      config: { access: { roles: ['finance', 'manager'] } },
      schema: {
        tags: ['loans'],
        summary: 'Refund an over-payment held on 21909 to the borrower’s bank card (idempotent)',
        description:
          'Money a loan received beyond what it owed (e.g. a bank debit result after the installment was paid at ' +
          'the counter) is held on 21909. This refunds it, or part of it, through the payout outbox: Dr 21909 / ' +
          'Cr 21903 with a payout sent to the bank at once; the bank’s confirmation books Dr 21903 / Cr 101, a ' +
          'refusal or a return (退票) puts the money back on 21909, refundable again. repaymentId limits it to one ' +
          'repayment (default: all the loan holds, oldest first); amount defaults to everything refundable. What is ' +
          'refunded or in flight is never refunded again; an amount above what is held is refused, writing nothing.',
        params: idParams(),
        body: {
          type: 'object',
          required: ['idempotencyKey'],
          additionalProperties: false,
          properties: {
            repaymentId: idSchema,
            amount: yuan,
            idempotencyKey: { type: 'string', minLength: 8, maxLength: 100 },
          },
        },
        response: {
          200: loanRefundSchema,
          201: loanRefundSchema,
          ...errorResponses(400, 401, 403, 404, 409, 422),
        },
      },
    },
    async (request, reply) => {
      const result = await refundLoanOverpayment({
        db,
        bank: app.deps.bank,
        actor: requireActor(request),
        loanId: request.params.id,
        ...request.body,
      });
      return reply.code(result.replayed ? 200 : 201).send(result);
    },
  );

  app.get<{ Querystring: { limit?: number; offset?: number } }>(
    '/loans/overdue',
    {
      config: { access: { staff: true } },
      schema: {
        tags: ['loans'],
        summary: 'Collection list: loans in arrears with days past due, class, amounts owed and marks',
        querystring: {
          type: 'object',
          additionalProperties: false,
          properties: {
            limit: { type: 'integer', minimum: 1, maximum: 500 },
            offset: { type: 'integer', minimum: 0 },
          },
        },
      },
    },
    async (request) => listOverdueLoans({ db, actor: requireActor(request), ...request.query }),
  );
}

export const loanRoutes = loanRoutesWith(defaultCreditBureau);
