// A free withdrawal (灵活提取, rules.md §5.2): any part of the balance, no purpose, amount or frequency
// limit, for an eligible depositor (6 consecutive covered months) with no loan outstanding.
import {
  submitWithdrawal,
  type SubmitWithdrawalInput,
  type SubmittedWithdrawal,
} from './submit-withdrawal.ts';

export type RequestFreeWithdrawalInput = Omit<SubmitWithdrawalInput, 'kind' | 'rent'>;

export function requestFreeWithdrawal(input: RequestFreeWithdrawalInput): Promise<SubmittedWithdrawal> {
  return submitWithdrawal({ ...input, kind: 'free' });
}
