import { formatMinor, parseMajorToMinor } from '../../../../shared/money';
import type { Statement } from '../../../../shared/domain/fees';
import { formatEditable } from '../../lib/money';

export type OpenCharge = Statement['openCharges'][number];

/** What the bursar typed against each charge (charge id → text); absent means nothing. */
export type TypedAllocations = ReadonlyMap<string, string>;

/** The default spread: oldest due first (open charges come oldest due first), the rest is credit. */
export function oldestFirst(open: readonly OpenCharge[], amountMinor: number): Map<string, number> {
  const out = new Map<string, number>();
  let left = Math.max(amountMinor, 0);
  for (const c of open) {
    const used = Math.min(c.outstandingMinor, left);
    out.set(c.chargeId, used);
    left -= used;
  }
  return out;
}

/** The default spread as text in the boxes, for the bursar to change one of them. */
export function typedFrom(open: readonly OpenCharge[], spread: ReadonlyMap<string, number>, currency: string): Map<string, string> {
  return new Map(open.map((c) => [c.chargeId, spread.get(c.chargeId) ? formatEditable(spread.get(c.chargeId)!, currency) : '']));
}

export interface AllocationCheck {
  /** What to send: the charges given something, in the order shown. */
  allocations: { chargeId: string; amountMinor: number }[];
  allocatedMinor: number;
  /** What is left of the payment after the charges: carried forward as credit. */
  creditMinor: number;
  /** Per charge, what is wrong with its box. */
  problems: Map<string, string>;
  /** What is wrong with the spread as a whole. */
  problem: string | null;
}

/** Checks the bursar's spread against the payment and what each charge still owes. */
export function checkAllocations(open: readonly OpenCharge[], typed: TypedAllocations, amountMinor: number | null, currency: string): AllocationCheck {
  const allocations: AllocationCheck['allocations'] = [];
  const problems = new Map<string, string>();
  for (const c of open) {
    const text = (typed.get(c.chargeId) ?? '').trim();
    if (text === '') continue;
    const parsed = parseMajorToMinor(text, currency);
    if (!parsed.ok) problems.set(c.chargeId, parsed.error);
    else if (parsed.minor > c.outstandingMinor) {
      problems.set(c.chargeId, `This charge owes only ${formatMinor(c.outstandingMinor, currency)}: put no more than that against it.`);
    } else if (parsed.minor > 0) allocations.push({ chargeId: c.chargeId, amountMinor: parsed.minor });
  }
  const allocatedMinor = allocations.reduce((s, a) => s + a.amountMinor, 0);
  let problem: string | null = null;
  if (amountMinor !== null && allocatedMinor > amountMinor) {
    problem = `The amounts against the charges add up to ${formatMinor(allocatedMinor, currency)}, more than the payment of ${formatMinor(amountMinor, currency)}. Lower one of them.`;
  }
  return { allocations, allocatedMinor, creditMinor: amountMinor === null ? 0 : Math.max(amountMinor - allocatedMinor, 0), problems, problem };
}
