// The loan workflow as the console shows it: for each status, the next step, its endpoint and the roles
// the API admits for it (src/api/routes/loans.ts).
import type { StaffRole } from '../staff.tsx';
import type { Loan } from './loan-types.ts';

export type StepAction = 'review' | 'approve' | 'contract' | 'mortgage' | 'disburse';

export interface NextStep {
  action: StepAction;
  label: { zh: string; en: string };
  roles: StaffRole[];
}

export function nextStep(loan: Pick<Loan, 'status'>): NextStep | null {
  switch (loan.status) {
    case 'applied':
      return { action: 'review', label: { zh: '初审', en: 'Review' }, roles: ['teller'] };
    case 'reviewed':
      return { action: 'approve', label: { zh: '审批', en: 'Approve' }, roles: ['reviewer', 'manager'] };
    case 'awaiting_manager':
      return { action: 'approve', label: { zh: '主任审批', en: 'Manager approval' }, roles: ['manager'] };
    case 'approved':
      return {
        action: 'contract',
        label: { zh: '签订合同', en: 'Sign contract' },
        roles: ['teller', 'manager'],
      };
    case 'contracted':
      return {
        action: 'mortgage',
        label: { zh: '抵押登记', en: 'Record mortgage' },
        roles: ['teller', 'manager'],
      };
    case 'mortgaged':
      return { action: 'disburse', label: { zh: '放款', en: 'Disburse' }, roles: ['finance', 'manager'] };
    default:
      return null;
  }
}

/** Who may reject at each step (src/services/loans/reject-loan.ts); empty once disbursed or closed. */
export function rejectRoles(loan: Pick<Loan, 'status'>): StaffRole[] {
  switch (loan.status) {
    case 'applied':
      return ['teller', 'manager'];
    case 'reviewed':
      return ['reviewer', 'manager'];
    case 'awaiting_manager':
    case 'approved':
    case 'contracted':
    case 'mortgaged':
      return ['manager'];
    default:
      return [];
  }
}
