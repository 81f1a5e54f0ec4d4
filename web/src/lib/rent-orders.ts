// A standing monthly rent order (按月提取, rules.md §5.1) as GET /accounts/:id/rent-orders returns it
// (src/services/withdrawals/list-rent-orders.ts), and the words for its codes: shared by the console's
// account page and the depositor portal.

export interface RentOrder {
  rentOrderId: string;
  status: 'active' | 'ended';
  monthlyAmount: string;
  payDay: number;
  /** The next month the close pays; null once ended. */
  nextDueDate: string | null;
  publicRental: boolean;
  landlordName: string;
  leaseAddress: string;
  leaseStart: string;
  leaseEnd: string;
  monthlyRent: string;
  contractNo: string;
  createdBy: string;
  createdOn: string;
  endedOn: string | null;
  endedReason: string | null;
  paidMonths: number;
  paidTotal: string;
  lastPaid: { dueDate: string; businessDate: string; amount: string; withdrawalId: string } | null;
  lastUnpaid: { dueDate: string; outcome: string } | null;
}

/** Why an order ended (list-rent-orders.ts: endedReason). */
export const RENT_ORDER_ENDED_WORDS: Record<string, [string, string]> = {
  cancelled: ['已停止', 'Stopped'],
  lease_ended: ['租期届满', 'Lease ended'],
};

/** Why a monthly run paid nothing (pay-rent-orders.ts: the run's outcome). */
export const RENT_ORDER_UNPAID_WORDS: Record<string, [string, string]> = {
  cap_reached: ['已达年度提取限额', 'Yearly cap reached'],
  no_balance: ['账户余额不足', 'No balance'],
  account_not_open: ['账户状态不能提取', 'Account not open'],
  lease_ended: ['租期已届满', 'Lease ended'],
};
