import type { ExpenseStatus } from '../../../../../shared/domain/expenses';

export const EXPENSE_STATUS_LABEL: Record<ExpenseStatus, string> = {
  pending: 'Awaiting approval',
  approved: 'Approved',
  rejected: 'Rejected',
  voided: 'Voided',
};
