// The credit bureau (征信), as Anju sees it: a summary of a person's credit report, asked for when a loan
// application is taken (rules.md §6.1 credit thresholds, HPF loans elsewhere). One interface; the
// in-process simulator serves the demo and the tests.

/** The summary a loan decision needs (rules.md §6.1). */
export interface CreditReportSummary {
  /** Card delinquencies in the last 12 months. */
  cardDelinquencies12m: number;
  /** The longest run of consecutive missed installments on one loan in the last 48 months. */
  maxConsecutiveMissed48m: number;
  /** Missed installments in total. */
  totalMissedInstallments: number;
  /** HPF loans outstanding at other centers. */
  outstandingHpfLoansElsewhere: number;
}

export interface CreditReport extends CreditReportSummary {
  /** The bureau's report number. */
  reportNo: string;
}

export interface CreditReportRequest {
  /** The normalized resident ID number. */
  idNumber: string;
  name: string;
  /** Why the report is asked for (the bureau logs it): e.g. "loan application". */
  purpose: string;
}

export interface CreditBureau {
  /** Throws AppError CREDIT_BUREAU_TIMEOUT when the bureau does not answer in time. */
  fetchReport(request: CreditReportRequest): Promise<CreditReport>;
}
