// The printed loan settlement certificate (贷款结清证明, rules.md §6.5): the borrower, the loan and its
// contract, what the settlement paid (principal and interest to the settlement day) and the note that the
// mortgage on the house may now be released at the registry.
import { CENTER_NAME_EN, CENTER_NAME_ZH, renderPdf } from './pdf.ts';

export const LOAN_SETTLEMENT_TITLE_ZH = '个人住房公积金贷款结清证明';
export const LOAN_SETTLEMENT_TITLE_EN = 'Housing Provident Fund Loan Settlement Certificate';

export interface LoanSettlementCertificatePrint {
  certificateNo: string;
  loanNumber: string;
  contractNo: string;
  borrower: { name: string; idNumberMasked: string; accountNumber: string };
  coBorrower: string | null;
  amount: string;
  termMonths: number;
  disbursedOn: string;
  settledOn: string;
  principal: string;
  interest: string;
  total: string;
  accruedFrom: string;
  accruedDays: number;
  /** As printed, e.g. "公积金账户余额 HPF balance". */
  fundingLabel: string;
  businessType: string;
  mortgage: { certificateNo: string | null; address: string | null };
  mortgageReleaseNote: string;
  issuedOn: string;
  createdAt?: Date;
}

export function renderLoanSettlementCertificatePdf(c: LoanSettlementCertificatePrint): Promise<Buffer> {
  return renderPdf(
    { title: LOAN_SETTLEMENT_TITLE_ZH, subject: LOAN_SETTLEMENT_TITLE_EN, createdAt: c.createdAt },
    (pdf) => {
      pdf.title(LOAN_SETTLEMENT_TITLE_ZH, LOAN_SETTLEMENT_TITLE_EN);
      pdf.fields([
        ['证明编号 Certificate No.', c.certificateNo],
        ['借款人 Borrower', c.borrower.name],
        ['证件号码 ID number', c.borrower.idNumberMasked],
        ['公积金账号 HPF account', c.borrower.accountNumber],
        ...(c.coBorrower === null ? [] : [['共同借款人 Co-borrower', c.coBorrower] as const]),
        ['贷款编号 Loan No.', c.loanNumber],
        ['借款合同编号 Contract No.', c.contractNo],
        ['贷款金额 Amount (yuan)', c.amount],
        ['贷款期限 Term', `${c.termMonths} 个月 months`],
        ['放款日期 Disbursed on', c.disbursedOn],
        ['结清日期 Settled on', c.settledOn],
      ]);
      pdf.paragraph(
        `兹证明上述借款人在${CENTER_NAME_ZH}办理的个人住房公积金贷款已于 ${c.settledOn} 全部结清，本息无拖欠。` +
          `结清时归还剩余本金，并按实际天数 ÷ 30 计收自 ${c.accruedFrom} 起 ${c.accruedDays} 天的利息，不收取违约金。\n` +
          `This certifies that the housing provident fund loan of the borrower above with the ${CENTER_NAME_EN} ` +
          `was repaid in full on ${c.settledOn}, with nothing outstanding. The remaining principal was repaid ` +
          `with interest for ${c.accruedDays} days from ${c.accruedFrom} (actual days / 30 of a month); no fee was charged.`,
        { size: 9 },
      );
      pdf.heading('结清明细', 'Settlement (yuan)');
      pdf.table(
        [
          { header: '项目', subHeader: 'Item', width: 2 },
          { header: '金额', subHeader: 'Amount', width: 1.3, align: 'right' },
        ],
        [
          ['剩余本金 Remaining principal', c.principal],
          ['结清利息 Interest to the settlement day', c.interest],
        ],
        { totals: [['合计 Total', c.total]] },
      );
      pdf.fields([
        ['资金来源 Paid from', c.fundingLabel],
        ['业务类型 Business type', c.businessType],
      ]);
      pdf.heading('抵押注销', 'Mortgage release');
      pdf.fields([
        ['不动产登记证明号 Mortgage certificate', c.mortgage.certificateNo ?? '—'],
        ['抵押房屋 House', c.mortgage.address ?? '—'],
      ]);
      pdf.paragraph(c.mortgageReleaseNote, { size: 9 });
      pdf.fields([['出具日期 Issued on', c.issuedOn]]);
      pdf.paragraph(`${CENTER_NAME_ZH}（盖章）\n${CENTER_NAME_EN} (seal)`, { size: 9, grey: true });
    },
  );
}
