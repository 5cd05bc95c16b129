import { METHODS_WITH_REFERENCE, type PaymentMethod } from '../../../../shared/domain/payments';

export const METHOD_LABEL: Record<PaymentMethod, string> = {
  cash: 'Cash',
  bank_transfer: 'Bank transfer',
  mobile_money: 'Mobile money',
  cheque: 'Cheque',
  card: 'Card',
};

export function needsReference(method: PaymentMethod): boolean {
  return METHODS_WITH_REFERENCE.includes(method);
}

/** Money paid out (a refund, an expense) other than in cash is traced by its reference, so it must have one. */
export const paidOutWithReference = (method: PaymentMethod) => method !== 'cash';

/** The reference as it is sent: trimmed, and none for cash. */
export const paidOutReference = (method: PaymentMethod, reference: string) => (paidOutWithReference(method) ? reference.trim() : undefined);

export const REFERENCE_MISSING = 'Give the reference of the transfer, cheque or message.';
