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

export interface LoanView extends Loan {
  disbursement: { requestNo: string; status: string; amount: string; bankSerial: string | null } | null;
  schedule: ScheduleRow[];
}
