// The printed tax-deduction deposit certificate (rules.md §12, 住房公积金缴存证明): the depositor, the twelve
// months (deposited, cap, deductible, excess), the totals, and the verification code with where to check it.
import { renderPdf } from './pdf.ts';

export const TAX_CERTIFICATE_TITLE_ZH = '住房公积金缴存证明（个人所得税扣除用）';
export const TAX_CERTIFICATE_TITLE_EN =
  'Housing Provident Fund Deposit Certificate (for the individual income tax deduction)';

interface Amounts {
  deposited: string;
  cap: string;
  deductible: string;
  excess: string;
}

/** What the certificate shows: the stored content (money as yuan strings) and how to verify it. */
export interface TaxCertificatePrint {
  certificateId: string;
  depositor: { name: string; idNumberMasked: string };
  year: number;
  months: ReadonlyArray<Amounts & { month: string }>;
  totals: Amounts;
  /** As printed: XXXX-XXXX-XXXX-XXXX. */
  verificationCode: string;
  /** Where anyone can check the code, e.g. /api/v1/certificates/verify/{code}. */
  verifyPath: string;
  issuedOn: string;
  createdAt?: Date;
}

export function renderTaxCertificatePdf(certificate: TaxCertificatePrint): Promise<Buffer> {
  return renderPdf(
    { title: TAX_CERTIFICATE_TITLE_ZH, subject: TAX_CERTIFICATE_TITLE_EN, createdAt: certificate.createdAt },
    (pdf) => {
      pdf.title(TAX_CERTIFICATE_TITLE_ZH, TAX_CERTIFICATE_TITLE_EN);
      pdf.fields([
        ['证明编号 Certificate No.', certificate.certificateId],
        ['缴存人 Depositor', certificate.depositor.name],
        ['证件号码 ID number', certificate.depositor.idNumberMasked],
        ['证明年度 Calendar year', `${certificate.year} 年（1月1日至12月31日）`],
        ['出具日期 Issued on', certificate.issuedOn],
      ]);
      pdf.paragraph(
        '兹证明上述缴存人于本年度各月缴存住房公积金情况如下。每月可在个人所得税前扣除的缴存额以当月扣除限额为限，超出部分不得扣除。\n' +
          'The depositor above paid the following Housing Provident Fund deposits in the year. Each month, deposits are deductible up to that month’s cap; the excess is not deductible.',
        { size: 9 },
      );
      pdf.heading('按月明细', 'Monthly detail (yuan)');
      pdf.table(
        [
          { header: '月份', subHeader: 'Month', width: 1 },
          { header: '缴存额', subHeader: 'Deposited', width: 1.3, align: 'right' },
          { header: '扣除限额', subHeader: 'Monthly cap', width: 1.3, align: 'right' },
          { header: '可扣除额', subHeader: 'Deductible', width: 1.3, align: 'right' },
          { header: '超限额', subHeader: 'Excess', width: 1.3, align: 'right' },
        ],
        certificate.months.map((m) => [m.month, m.deposited, m.cap, m.deductible, m.excess]),
        {
          totals: [
            [
              '合计 Total',
              certificate.totals.deposited,
              certificate.totals.cap,
              certificate.totals.deductible,
              certificate.totals.excess,
            ],
          ],
        },
      );
      pdf.heading('核验', 'Verification');
      pdf.fields([
        ['校验码 Verification code', certificate.verificationCode],
        ['核验地址 Check at', certificate.verifyPath],
      ]);
      pdf.paragraph(
        '本证明可凭校验码在包头市住房公积金管理中心网站核验（上述地址，无需登录）；核验结果中的姓名、证件号码、年度及合计金额应与本证明一致。\n' +
          'Anyone can check this certificate with its verification code at the address above (no login needed); the name, ID number, year and totals shown there must match this certificate.',
        { size: 9, grey: true },
      );
    },
  );
}
