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
