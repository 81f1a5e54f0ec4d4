// The simulated credit bureau (in-process): a clean report for everyone unless one is set for an ID
// number; a timeout fault per ID number, so tests and the demo can reproduce a bureau that does not answer.
import { AppError } from '../../domain/errors.ts';
import type { CreditBureau, CreditReport, CreditReportRequest, CreditReportSummary } from './gateway.ts';

export const CLEAN_CREDIT_REPORT: CreditReportSummary = {
  cardDelinquencies12m: 0,
  maxConsecutiveMissed48m: 0,
  totalMissedInstallments: 0,
  outstandingHpfLoansElsewhere: 0,
};

export type CreditBureauFault = { kind: 'timeout' };

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

export class InProcessCreditBureau implements CreditBureau {
  /** Every request received, in order (tests read it). */
  readonly requests: CreditReportRequest[] = [];
  readonly timeoutMs: number;
  private readonly reports = new Map<string, CreditReportSummary>();
  private readonly faults = new Map<string, CreditBureauFault>();
  private counter = 0;

  constructor(options: { timeoutMs?: number } = {}) {
    this.timeoutMs = options.timeoutMs ?? 2000;
  }

  /** The report the bureau gives for this ID number (the rest of the fields clean); null clears it. */
  setReport(idNumber: string, report: Partial<CreditReportSummary> | null): void {
    if (report) this.reports.set(idNumber, { ...CLEAN_CREDIT_REPORT, ...report });
    else this.reports.delete(idNumber);
  }

  /** Requests for this ID number get the fault until cleared (null). */
  setFault(idNumber: string, fault: CreditBureauFault | null): void {
    if (fault) this.faults.set(idNumber, fault);
    else this.faults.delete(idNumber);
  }

  async fetchReport(request: CreditReportRequest): Promise<CreditReport> {
    this.requests.push({ ...request });
    if (this.faults.get(request.idNumber)?.kind === 'timeout') {
      await sleep(this.timeoutMs);
      throw new AppError('CREDIT_BUREAU_TIMEOUT', { details: { timeoutMs: this.timeoutMs } });
    }
    this.counter += 1;
    const summary = this.reports.get(request.idNumber) ?? CLEAN_CREDIT_REPORT;
    return { reportNo: `CR${String(this.counter).padStart(8, '0')}`, ...summary };
  }
}
