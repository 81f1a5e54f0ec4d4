// The printed closure certificate (销户证明, rules.md §5.2): the depositor, the closed account, what was
// paid out (balance, interest to the closing day, deposit subsidy) and to which card, and the
// verification code with where anyone can check it.
import { renderPdf } from './pdf.ts';

export const CLOSURE_CERTIFICATE_TITLE_ZH = '住房公积金销户证明';
export const CLOSURE_CERTIFICATE_TITLE_EN = 'Housing Provident Fund Account Closure Certificate';

export interface ClosureCertificatePrint {
  certificateId: string;
  depositor: { name: string; idNumberMasked: string };
  accountNumber: string;
  closedOn: string;
  principal: string;
  interest: string;
  subsidy: string;
  total: string;
  bankName: string;
  bankCardMasked: string;
  /** As printed: XXXX-XXXX-XXXX-XXXX. */
  verificationCode: string;
  verifyPath: string;
  issuedOn: string;
  createdAt?: Date;
}

export function renderClosureCertificatePdf(certificate: ClosureCertificatePrint): Promise<Buffer> {
  return renderPdf(
    {
      title: CLOSURE_CERTIFICATE_TITLE_ZH,
      subject: CLOSURE_CERTIFICATE_TITLE_EN,
      createdAt: certificate.createdAt,
    },
    (pdf) => {
      pdf.title(CLOSURE_CERTIFICATE_TITLE_ZH, CLOSURE_CERTIFICATE_TITLE_EN);
      pdf.fields([
        ['证明编号 Certificate No.', certificate.certificateId],
        ['缴存人 Depositor', certificate.depositor.name],
        ['证件号码 ID number', certificate.depositor.idNumberMasked],
        ['个人账号 Account', certificate.accountNumber],
        ['销户日期 Closed on', certificate.closedOn],
        ['出具日期 Issued on', certificate.issuedOn],
      ]);
      pdf.paragraph(
        '兹证明上述缴存人的灵活就业人员住房公积金个人账户已办理销户提取，账户状态为“提取销户”，住房公积金缴存协议同时终止。销户时结算利息至销户日前一日，符合条件的缴存补贴一并支付。\n' +
          'The depositor above closed the flexible-employment housing provident fund account by withdrawal; the account is closed (withdrawal) and the deposit agreement has ended. Interest was settled up to the day before closure, and the deposit subsidy was paid where due.',
        { size: 9 },
      );
      pdf.heading('支付明细', 'Paid out (yuan)');
      pdf.table(
        [
          { header: '项目', subHeader: 'Item', width: 2 },
          { header: '金额', subHeader: 'Amount', width: 1.3, align: 'right' },
        ],
        [
          ['账户余额 Balance', certificate.principal],
          ['销户结息 Interest to the closing day', certificate.interest],
          ['缴存补贴 Deposit subsidy', certificate.subsidy],
        ],
        { totals: [['合计 Total', certificate.total]] },
      );
      pdf.fields([
        ['收款银行 Bank', certificate.bankName],
        ['收款卡号 Card', certificate.bankCardMasked],
      ]);
      pdf.heading('核验', 'Verification');
      pdf.fields([
        ['校验码 Verification code', certificate.verificationCode],
        ['核验地址 Check at', certificate.verifyPath],
      ]);
      pdf.paragraph(
        '本证明可凭校验码在包头市住房公积金管理中心网站核验（上述地址，无需登录）。\n' +
          'Anyone can check this certificate with its verification code at the address above (no login needed).',
        { size: 9, grey: true },
      );
    },
  );
}
