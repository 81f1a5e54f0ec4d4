// The printed loan contract (个人住房公积金借款合同, rules.md §6): the parties, the house and its mortgage,
// the amount, term, rate and method, and the repayment schedule period by period (dates as if disbursed
// on the contract date; the fixed schedule is drawn up on the disbursement day).
import { CENTER_NAME_EN, CENTER_NAME_ZH, renderPdf } from './pdf.ts';

export const LOAN_CONTRACT_TITLE_ZH = '个人住房公积金借款合同';
export const LOAN_CONTRACT_TITLE_EN = 'Personal Housing Provident Fund Loan Contract';

export interface LoanContractPrint {
  contractNo: string;
  loanNumber: string;
  contractDate: string;
  borrower: { name: string; idNumberMasked: string; accountNumber: string };
  spouse: { name: string; idNumberMasked: string } | null;
  house: { address: string; areaSqm: string; price: string; home: 'first' | 'second' };
  seller: { name: string; bankName: string; bankAccountMasked: string };
  amount: string;
  termMonths: number;
  annualRate: string;
  rateFrom: string;
  method: { zh: string; en: string };
  schedule: ReadonlyArray<{
    period: number;
    dueDate: string;
    payment: string;
    principal: string;
    interest: string;
    balance: string;
  }>;
  totals: { payment: string; principal: string; interest: string };
  /** The first-period note (actual days / 30), bilingual. */
  note: string;
  createdAt?: Date;
}

export function renderLoanContractPdf(contract: LoanContractPrint): Promise<Buffer> {
  return renderPdf(
    { title: LOAN_CONTRACT_TITLE_ZH, subject: LOAN_CONTRACT_TITLE_EN, createdAt: contract.createdAt },
    (pdf) => {
      pdf.title(LOAN_CONTRACT_TITLE_ZH, LOAN_CONTRACT_TITLE_EN);
      pdf.fields([
        ['合同编号 Contract No.', contract.contractNo],
        ['贷款编号 Loan No.', contract.loanNumber],
        ['签订日期 Contract date', contract.contractDate],
        ['贷款人 Lender', `${CENTER_NAME_ZH} ${CENTER_NAME_EN}`],
        ['借款人 Borrower', `${contract.borrower.name}（${contract.borrower.idNumberMasked}）`],
        ['公积金账号 HPF account', contract.borrower.accountNumber],
        [
          '共同借款人 Co-borrower',
          contract.spouse ? `${contract.spouse.name}（${contract.spouse.idNumberMasked}）` : '无 None',
        ],
      ]);
      pdf.heading('所购住房及抵押', 'The house and its mortgage');
      pdf.fields([
        ['房屋坐落 Address', contract.house.address],
        ['建筑面积 Area (m²)', contract.house.areaSqm],
        ['购房总价 Price (yuan)', contract.house.price],
        ['住房套数 Home', contract.house.home === 'first' ? '首套 First home' : '二套 Second home'],
        ['售房人 Seller', contract.seller.name],
        ['收款账户 Paid to', `${contract.seller.bankName} ${contract.seller.bankAccountMasked}`],
        ['担保方式 Guarantee', '01 抵押（所购住房） Mortgage on the purchased house'],
      ]);
      pdf.heading('借款条件', 'Terms');
      pdf.fields([
        ['借款金额 Amount (yuan)', contract.amount],
        ['借款期限 Term', `${contract.termMonths} 个月 months`],
        [
          '年利率 Annual rate',
          `${contract.annualRate}%（${contract.rateFrom} 起执行的利率表 table in force from）`,
        ],
        ['还款方式 Method', `${contract.method.zh} ${contract.method.en}`],
      ]);
      pdf.paragraph(
        '期限超过一年的贷款，遇法定利率调整，于次年 1 月 1 日起按新利率以剩余本金和剩余期限重新计算月还款额。\n' +
          'For a term over one year, a change of the rate table applies from the next January 1, the installment recomputed from the remaining principal and term.',
        { size: 8, grey: true },
      );
      pdf.heading('还款计划', 'Repayment schedule (yuan)');
      pdf.paragraph(contract.note, { size: 8, grey: true });
      pdf.table(
        [
          { header: '期次', subHeader: 'Period', width: 0.6, align: 'right' },
          { header: '还款日', subHeader: 'Due date', width: 1.1 },
          { header: '月还款额', subHeader: 'Payment', width: 1.1, align: 'right' },
          { header: '本金', subHeader: 'Principal', width: 1.1, align: 'right' },
          { header: '利息', subHeader: 'Interest', width: 1, align: 'right' },
          { header: '剩余本金', subHeader: 'Balance', width: 1.2, align: 'right' },
        ],
        contract.schedule.map((r) => [
          String(r.period),
          r.dueDate,
          r.payment,
          r.principal,
          r.interest,
          r.balance,
        ]),
        {
          fontSize: 7,
          totals: [
            [
              '合计',
              'Total',
              contract.totals.payment,
              contract.totals.principal,
              contract.totals.interest,
              '',
            ],
          ],
        },
      );
    },
  );
}
