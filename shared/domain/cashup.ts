import { z } from 'zod';
import { PAYMENT_METHODS, type PaymentMethod } from './payments.js';
import { IsoDate } from './fees.js';

/** An amount per payment method, in minor units (may be negative: refunds exceed takings). */
export const MethodTotals = z.object(
  Object.fromEntries(PAYMENT_METHODS.map((m) => [m, z.int({ error: 'Counted amounts are whole minor units (cents).' })])) as Record<
    PaymentMethod,
    z.ZodInt
  >,
);
export type MethodTotals = z.infer<typeof MethodTotals>;

/** What a counted amount may be: none of the methods can hold a negative count. */
export const CountedTotals = z.object(
  Object.fromEntries(
    PAYMENT_METHODS.map((m) => [
      m,
      z
        .int({ error: 'Counted amounts are whole minor units (cents), not fractions.' })
        .nonnegative({ error: 'A counted amount cannot be negative.' })
        .max(100_000_000_000, { error: 'That counted amount is implausibly large; check for extra zeros.' }),
    ]),
  ) as Record<PaymentMethod, z.ZodInt>,
);

/** The close of one bursar's day on one device: what the ledger expected per method, what was
 * counted, and the difference. Insert-only and at most one per (device, bursar, date); once it
 * exists, nothing more can be recorded into that day by that bursar on that device. */
export const CashUpRow = z.object({
  id: z.uuid(),
  business_date: IsoDate,
  device_id: z.uuid(),
  staff_id: z.uuid(),
  staff_name: z.string().max(80),
  expected: MethodTotals,
  counted: MethodTotals,
  /** Counted − expected over all methods (negative = short). */
  difference_minor: z.int(),
  note: z.string().max(500),
  closed_at: z.string(),
});
export type CashUpRow = z.infer<typeof CashUpRow>;

export function zeroTotals(): MethodTotals {
  return Object.fromEntries(PAYMENT_METHODS.map((m) => [m, 0])) as MethodTotals;
}

export function sumTotals(t: MethodTotals): number {
  return PAYMENT_METHODS.reduce((s, m) => s + t[m], 0);
}
