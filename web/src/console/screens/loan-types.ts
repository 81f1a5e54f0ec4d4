// The loan as the API returns it (GET /loans, GET /loans/:id).
export interface StepBy {
  by: string;
  on: string | null;
}

export interface Loan {
  loanId: string;
  loanNumber: string;
  status: string;
  depositorId: string;
  /** In the list (GET /loans): the borrower's name and masked ID number. */
  borrower?: { name: string; idNumberMasked: string };
  accountId: string;
  spouse: { depositorId: string | null; name: string; idNumberMasked: string | null } | null;
  channel: string;
  house: { address: string; areaSqm: string; price: string; home: 'first' | 'second'; inCity: boolean };
  income: { monthlyIncome: string; monthlyDebts: string; evidence: string };
  seller: { name: string; bankName: string };
  amount: string;
  termMonths: number;
  method: 'equal-installment' | 'equal-principal';
  annualRate: string;
  rateFrom: string;
  quota: string;
  quotaExplanation: {
    quota: string;
    binding: string;
    candidates?: Array<{ code: string; amount: string; label_zh: string; label_en: string }>;
  } | null;
  steps: {
    applied: StepBy;
    reviewed: StepBy | null;
    approved: StepBy | null;
    needsManager: boolean;
    managerApproved: StepBy | null;
    rejected: { by: string; step: string | null; reason: string | null } | null;
    contract: { contractNo: string; date: string | null; sha256: string | null } | null;
    mortgage: {
      certificateNo: string;
      address: string | null;
      areaSqm: string | null;
      price: string | null;
      recordedOn: string | null;
    } | null;
    disbursedOn: string | null;
  };
}

export interface ScheduleRow {
  period: number;
  dueDate?: string;
  payment: string;
  principal: string;
  interest: string;
  balance: string;
  status?: string;
}

/** One repayment (GET /loans/:id → repayment.repayments), with what it brought beyond what was owed. */
export interface RepaymentRow {
  repaymentId: string;
  businessDate: string;
  channel: string;
  businessType: string;
  amount: string;
  unapplied: string;
  refunded: string;
  refunding: string;
  refundable: string;
  refundStatus: string;
}

/** A refund of over-paid loan money (held on 21909) and its payout. */
export interface LoanRefundRow {
  refundId: string;
  businessDate: string;
  amount: string;
  status: string;
  requestNo: string;
  payoutStatus: string;
  bankName: string;
  bankCard: string;
  returnedOn: string | null;
  returnReason: string | null;
}

/** The repayment side of a disbursed or settled loan (the part the console shows). */
export interface LoanRepaymentView {
  owedNow: string;
  outstandingPrincipal: string;
  daysPastDue: number;
  repayments: RepaymentRow[];
  overpayment: {
    unapplied: string;
    refunded: string;
    refunding: string;
    refundable: string;
    card: { bankName: string; bankCard: string } | null;
    refunds: LoanRefundRow[];
  };
}

/** POST /loans/:id/overpayment-refunds. */
export interface LoanRefundOutcome {
  refundId: string;
  amount: string;
  requestNo: string;
  bankName: string;
  bankCard: string;
  payoutStatus: string;
  replayed: boolean;
}

export interface LoanView extends Loan {
  repayment: LoanRepaymentView | null;
  disbursement: { requestNo: string; status: string; amount: string; bankSerial: string | null } | null;
  schedule: ScheduleRow[];
}
