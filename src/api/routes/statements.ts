// Statements and printed documents: the account statement, the subsidy preview, the tax-deduction
// deposit certificate (issue, PDF, public check by code) and the agreement as a PDF.
import type { FastifyInstance, FastifyReply } from 'fastify';
import { assertDepositorSelf, requireActor } from '../access.ts';
import { dateSchema, idParams } from '../schemas.ts';
import { accountStatement } from '../../services/statements/account-statement.ts';
import { issueTaxCertificate, printTaxCertificate } from '../../services/statements/issue-tax-certificate.ts';
import { verifyTaxCertificate } from '../../services/statements/verify-tax-certificate.ts';
import { subsidyPreview } from '../../services/deposits/subsidy-preview.ts';
import { getAgreement } from '../../services/agreements/get-agreement.ts';
import { renderAgreementPdf } from '../../documents/agreement-pdf.ts';

function sendPdf(reply: FastifyReply, fileName: string, pdf: Buffer): FastifyReply {
  return reply
    .type('application/pdf')
    .header('content-disposition', `inline; filename="${fileName}"`)
    .header('cache-control', 'private, no-store')
    .send(pdf);
}

export async function statementRoutes(app: FastifyInstance): Promise<void> {
  const { db } = app.deps;
  const ownerOrStaff = { staff: true, depositor: true } as const;

  app.get<{ Params: { id: string }; Querystring: { from?: string; to?: string } }>(
    '/accounts/:id/statement',
    {
      config: { access: ownerOrStaff },
      schema: {
        tags: ['statements'],
        summary: 'Account statement: opening balance, movements by value date with running balance, totals',
        description: 'Default period: from the day the account opened to the business date.',
        params: idParams(),
        querystring: {
          type: 'object',
          additionalProperties: false,
          properties: { from: dateSchema, to: dateSchema },
        },
      },
    },
    async (request) => accountStatement(db, requireActor(request), request.params.id, request.query),
  );

  app.get<{ Params: { id: string }; Querystring: { closureDate?: string } }>(
    '/accounts/:id/subsidy-preview',
    {
      config: { access: ownerOrStaff },
      schema: {
        tags: ['statements'],
        summary: 'The deposit subsidy if the account were closed on closureDate (default today), and why',
        params: idParams(),
        querystring: { type: 'object', additionalProperties: false, properties: { closureDate: dateSchema } },
      },
    },
    async (request) => subsidyPreview(db, requireActor(request), request.params.id, request.query),
  );

  app.post<{ Params: { id: string }; Body: { year: number } }>(
    '/depositors/:id/tax-certificates',
    {
      config: { access: { roles: ['teller', 'manager'], depositor: true } },
      schema: {
        tags: ['statements'],
        summary: 'Issue the calendar-year deposit certificate for the tax deduction (rules.md §12)',
        description: 'Returns the existing certificate (200) when nothing changed, else a new one (201).',
        params: idParams(),
        body: {
          type: 'object',
          required: ['year'],
          additionalProperties: false,
          properties: { year: { type: 'integer', minimum: 2000, maximum: 9999 } },
        },
      },
    },
    async (request, reply) => {
      const actor = requireActor(request);
      assertDepositorSelf(actor, request.params.id);
      const certificate = await issueTaxCertificate(db, actor, request.params.id, request.body.year);
      return reply.code(certificate.reused ? 200 : 201).send(certificate);
    },
  );

  app.get<{ Params: { id: string } }>(
    '/tax-certificates/:id.pdf',
    {
      config: { access: ownerOrStaff },
      schema: {
        tags: ['statements'],
        summary: 'The tax-deduction deposit certificate as a PDF',
        params: idParams(),
      },
    },
    async (request, reply) => {
      const { fileName, pdf } = await printTaxCertificate(db, requireActor(request), request.params.id);
      return sendPdf(reply, fileName, pdf);
    },
  );

  app.get<{ Params: { code: string } }>(
    '/certificates/verify/:code',
    {
      config: { access: { public: true } },
      schema: {
        tags: ['statements'],
        summary: 'Check a deposit certificate by the code printed on it',
        params: {
          type: 'object',
          required: ['code'],
          properties: { code: { type: 'string', minLength: 1, maxLength: 40 } },
        },
      },
    },
    async (request) => verifyTaxCertificate(db, request.params.code),
  );

  app.get<{ Params: { id: string } }>(
    '/agreements/:id.pdf',
    {
      config: { access: ownerOrStaff },
      schema: {
        tags: ['agreements'],
        summary: 'The agreement text and signature as a PDF (rules.md §2)',
        params: idParams(),
      },
    },
    async (request, reply) => {
      const agreement = await getAgreement(db, requireActor(request), request.params.id);
      return sendPdf(
        reply,
        `agreement-${agreement.agreementNumber}.pdf`,
        await renderAgreementPdf(agreement),
      );
    },
  );
}
