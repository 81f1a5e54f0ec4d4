// What the public calculators answer (src/domain/calculators.ts, src/domain/loans/calculators.ts).

export interface ScheduleRow {
  period: number;
  dueDate?: string;
  payment: string;
  principal: string;
  interest: string;
  balance: string;
}

export interface ScheduleResult {
  installments: ScheduleRow[];
  totalPayment: string;
  totalInterest: string;
  note?: { firstPeriodDays: number; zh: string; en: string };
}

export interface AffordabilityResult {
  monthlyLimit: string;
  maxPrincipal: string;
  installment: string;
}

export interface Candidate {
  code: string;
  label_zh: string;
  label_en: string;
  amount: string;
}

export interface QuotaResult {
  quota: string;
  binding: Candidate;
  candidates: Candidate[];
  factors: {
    deposit: {
      applicantBalance: string;
      spouseBalance: string;
      totalBalance: string;
      multiple: string;
      duration: { consecutiveMonths: number; band: string; coefficient: string };
      stability: { coveredMonths: number; windowMonths: number; coefficient: string };
      liquidity: { alertLevel: string; coefficient: string };
      credit: { grade: string; coefficient: string };
    };
    repayment: {
      income: string;
      debts: string;
      sharePct: string;
      monthlyLimit: string;
      annualRate: string;
      months: number;
      method: string;
      installment: string;
    };
    price: { price: string; home: string; downPaymentPct: string; loanToValuePct: string };
    cap: { base: string; spouseDepositor: boolean; children: number; bonusPct: string; cap: string };
  };
  term: { months: number; maximumMonths: number; latestMaturity?: string };
  roundedDownTo: string;
  installment: string;
}

export interface InterestResult {
  balanceDays: string;
  interest: string;
}

export interface SubsidyResult {
  subsidy: string;
  eligible: boolean;
  uncapped?: string;
  reasons?: { code: string; message_zh: string; message_en: string }[];
}
