import { PAYMENT_METHODS, type PaymentMethod } from '../../../../../shared/domain/payments';
import type { MethodTotals } from '../../../../../shared/domain/cashup';
import { parseMajorToMinor } from '../../../../../shared/money';

export type CountedText = Partial<Record<PaymentMethod, string>>;

export interface CountedCheck {
  /** Per method, what was counted (a blank counts as 0 where nothing was expected). */
  counted: MethodTotals;
  /** Per method, counted − expected (negative: short). */
  difference: MethodTotals;
  totalDifference: number;
  problems: Partial<Record<PaymentMethod, string>>;
}

/** Reads the counted boxes against what the ledger expects. A method with takings must be counted (0 if the till is empty). */
export function checkCounted(text: CountedText, expected: MethodTotals, currency: string): CountedCheck {
  const counted = {} as MethodTotals;
  const difference = {} as MethodTotals;
  const problems: CountedCheck['problems'] = {};
  for (const m of PAYMENT_METHODS) {
    const t = (text[m] ?? '').trim();
    let minor = 0;
    if (t === '') {
      if (expected[m] !== 0) problems[m] = 'Enter what you counted (0 if there is none).';
    } else {
      const parsed = parseMajorToMinor(t, currency);
      if (parsed.ok) minor = parsed.minor;
      else problems[m] = parsed.error;
    }
    counted[m] = minor;
    difference[m] = minor - expected[m];
  }
  const totalDifference = PAYMENT_METHODS.reduce((s, m) => s + difference[m], 0);
  return { counted, difference, totalDifference, problems };
}
