// Account state transitions (rules.md §1, JGJ/T 320 codes): seal/unseal between normal and sealed,
// freeze from any open state and unfreeze back to the state it had, nothing once closed.
import { AppError } from './errors.ts';
import type { AccountStateCode } from './eligibility.ts';

export type { AccountStateCode };
export type StateAction = 'seal' | 'unseal' | 'freeze' | 'unfreeze';

export const CLOSED_STATES: readonly AccountStateCode[] = ['03', '04', '05'];

export function isClosedState(state: AccountStateCode): boolean {
  return CLOSED_STATES.includes(state);
}

export interface StateTransition {
  to: AccountStateCode;
  stateBeforeFreeze: AccountStateCode | null;
}

export function nextAccountState(
  current: AccountStateCode,
  action: StateAction,
  stateBeforeFreeze: AccountStateCode | null,
): StateTransition {
  const refuse = () =>
    new AppError('ACCOUNT_STATE_INVALID', { field: 'action', details: { state: current, action } });
  switch (action) {
    case 'seal':
      if (current !== '01') throw refuse();
      return { to: '02', stateBeforeFreeze: null };
    case 'unseal':
      if (current !== '02') throw refuse();
      return { to: '01', stateBeforeFreeze: null };
    case 'freeze':
      if (current !== '01' && current !== '02') throw refuse();
      return { to: '06', stateBeforeFreeze: current };
    case 'unfreeze':
      if (current !== '06') throw refuse();
      return { to: stateBeforeFreeze ?? '01', stateBeforeFreeze: null };
  }
}
