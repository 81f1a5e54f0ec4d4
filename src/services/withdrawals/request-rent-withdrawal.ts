// A one-off rent withdrawal for rent already paid (rules.md §5.1), with the lease recorded as evidence
// (landlord, address, period, monthly rent, contract number): 6 consecutive covered months, no loan, no
// housing owned (declaration + registry), within the calendar-year cap (public rental: the contract rent).
import {
  submitWithdrawal,
  type SubmitWithdrawalInput,
  type SubmittedWithdrawal,
} from './submit-withdrawal.ts';

export type RequestRentWithdrawalInput = Omit<SubmitWithdrawalInput, 'kind' | 'rent'> & {
  rent: NonNullable<SubmitWithdrawalInput['rent']>;
};

export function requestRentWithdrawal(input: RequestRentWithdrawalInput): Promise<SubmittedWithdrawal> {
  return submitWithdrawal({ ...input, kind: 'rent' });
}
