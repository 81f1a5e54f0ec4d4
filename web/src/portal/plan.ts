// The deposit plan of an account (GET /accounts/:id/deposit-plan): limits in force, this HPF year's room,
// covered months and the periodic plan's periods.
export interface PlanMonth {
  month: string;
  allocated: string;
  lowerLimit: string;
  covered: boolean;
  source: string;
}

export interface PlanPeriod {
  periodId: string;
  periodStart: string;
  months: number;
  amount: string;
  dueDate: string;
  lastRetryDate: string;
  status: 'due' | 'paid' | 'missed' | 'cancelled';
  catchUpAllowed: boolean;
}

export interface DepositPlan {
  accountId: string;
  accountNumber: string;
  businessDate: string;
  consecutiveMonths: number;
  latestCompletedMonth: string;
  limits: { lower: string; upper: string };
  hpfYear: number;
  paidThisHpfYear: string;
  annualRoom: string;
  months: PlanMonth[];
  periods: PlanPeriod[];
}
