// A student's position derived from the ledger rows alone, the same way on every device and on
// the server: what each charge still owes, the credit carried forward, and arrears by age.
// Nothing here is stored, so two offices can never overwrite each other's totals; the same rows
// always give the same answer, whatever order they arrived in.

export interface LedgerCharge {
  id: string;
  categoryId: string;
  amountMinor: number;
  dueOn: string;
  postedAt: string;
}

export interface Allocation {
  chargeId: string;
  amountMinor: number;
}

/** A payment or a discount that is not voided. */
export interface LedgerCredit {
  id: string;
  amountMinor: number;
  /** Payments: the charges the bursar settled with it (what the receipt says it paid for). */
  allocations?: readonly Allocation[];
  /** Discounts: the fee category they reduce, or null for the student's whole bill. */
  categoryId?: string | null;
}

export interface Settlement {
  /** Per charge id, what is still owed (0 when settled). */
  outstanding: Map<string, number>;
  /** Credit carried forward (overpayments and discounts not yet used, less refunds). */
  creditMinor: number;
  /** Charges − payments − discounts + refunds: positive = owed, negative = credit. */
  balanceMinor: number;
}

/** Oldest due first; ties by posting time and id, so every device orders charges alike. */
export function byDue(a: LedgerCharge, b: LedgerCharge): number {
  if (a.dueOn !== b.dueOn) return a.dueOn < b.dueOn ? -1 : 1;
  if (a.postedAt !== b.postedAt) return a.postedAt < b.postedAt ? -1 : 1;
  return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
}

const byId = (a: { id: string }, b: { id: string }) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);

/**
 * Applies credits to charges: first what each payment says it paid for (capped at what the
 * charge still owes: two offices may have settled the same charge offline), then category
 * discounts to that category's charges, then everything left (unallocated payments, excess,
 * whole-bill discounts, minus refunds) to the oldest-due charges. What remains is credit.
 */
export function settle(
  charges: readonly LedgerCharge[],
  payments: readonly LedgerCredit[],
  discounts: readonly LedgerCredit[],
  refundsMinor: number,
): Settlement {
  const ordered = [...charges].sort(byDue);
  const outstanding = new Map(ordered.map((c) => [c.id, c.amountMinor]));
  let pool = 0;

  const take = (chargeId: string, amount: number): number => {
    const owed = outstanding.get(chargeId) ?? 0;
    const used = Math.min(owed, amount);
    if (used > 0) outstanding.set(chargeId, owed - used);
    return used;
  };

  for (const p of [...payments].sort(byId)) {
    let left = p.amountMinor;
    for (const a of p.allocations ?? []) {
      const used = take(a.chargeId, Math.min(a.amountMinor, left));
      left -= used;
    }
    pool += left;
  }
  for (const d of [...discounts].sort(byId)) {
    let left = d.amountMinor;
    if (d.categoryId) {
      for (const c of ordered) {
        if (left === 0) break;
        if (c.categoryId === d.categoryId) left -= take(c.id, left);
      }
    }
    pool += left;
  }
  pool -= refundsMinor;
  if (pool > 0) {
    for (const c of ordered) {
      if (pool === 0) break;
      pool -= take(c.id, pool);
    }
  }
  const owed = [...outstanding.values()].reduce((s, v) => s + v, 0);
  return { outstanding, creditMinor: Math.max(pool, 0), balanceMinor: owed - pool };
}

/** How a new payment is spread when the bursar does not choose: oldest-due charges first; the
 * rest is credit carried forward. */
export function allocateOldestFirst(charges: readonly LedgerCharge[], outstanding: ReadonlyMap<string, number>, amountMinor: number): Allocation[] {
  const out: Allocation[] = [];
  let left = amountMinor;
  for (const c of [...charges].sort(byDue)) {
    if (left === 0) break;
    const owed = outstanding.get(c.id) ?? 0;
    if (owed <= 0) continue;
    const used = Math.min(owed, left);
    out.push({ chargeId: c.id, amountMinor: used });
    left -= used;
  }
  return out;
}

export interface ArrearsBuckets {
  /** Owed but not yet due. */
  notDueMinor: number;
  /** Overdue by 0-30, 31-60, 61-90 and more than 90 days. */
  d0to30Minor: number;
  d31to60Minor: number;
  d61to90Minor: number;
  d90plusMinor: number;
}

export function emptyBuckets(): ArrearsBuckets {
  return { notDueMinor: 0, d0to30Minor: 0, d31to60Minor: 0, d61to90Minor: 0, d90plusMinor: 0 };
}

function daysBetween(fromIsoDate: string, toIsoDate: string): number {
  return Math.round((Date.parse(`${toIsoDate}T00:00:00Z`) - Date.parse(`${fromIsoDate}T00:00:00Z`)) / 86_400_000);
}

/** What each charge still owes, by how long past its due date it is on `today` (school date). */
export function arrearsByAge(charges: readonly LedgerCharge[], outstanding: ReadonlyMap<string, number>, today: string): ArrearsBuckets {
  const b = emptyBuckets();
  for (const c of charges) {
    const owed = outstanding.get(c.id) ?? 0;
    if (owed <= 0) continue;
    if (c.dueOn > today) {
      b.notDueMinor += owed;
      continue;
    }
    const days = daysBetween(c.dueOn, today);
    if (days <= 30) b.d0to30Minor += owed;
    else if (days <= 60) b.d31to60Minor += owed;
    else if (days <= 90) b.d61to90Minor += owed;
    else b.d90plusMinor += owed;
  }
  return b;
}

// Building an Intl.DateTimeFormat costs far more than using one (a list filter would spend most
// of its time on it), so each is made once per time zone.
const formatters = new Map<string, Intl.DateTimeFormat>();
function formatter(kind: 'date' | 'clock', timeZone: string): Intl.DateTimeFormat {
  const key = `${kind} ${timeZone}`;
  let f = formatters.get(key);
  if (!f) {
    f =
      kind === 'date'
        ? new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' })
        : new Intl.DateTimeFormat('en-US', { timeZone, hourCycle: 'h23', hour: '2-digit', minute: '2-digit' });
    formatters.set(key, f);
  }
  return f;
}

/** The calendar date of an instant in the school's time zone, e.g. 2026-05-02. */
export function schoolDate(at: string | Date, timeZone: string): string {
  const d = typeof at === 'string' ? new Date(at) : at;
  return formatter('date', timeZone).format(d);
}

/** The UTC instant at which a school date starts, as an ISO string (for range filters over
 * timestamps written with toISOString()). */
export function schoolDayStartUtc(date: string, timeZone: string): string {
  // The offset at noon of that day is the day's offset except across a DST change at midnight,
  // which no school time zone of ours has.
  const noonUtc = new Date(`${date}T12:00:00Z`);
  const parts = formatter('clock', timeZone).formatToParts(noonUtc);
  const h = Number(parts.find((p) => p.type === 'hour')!.value);
  const m = Number(parts.find((p) => p.type === 'minute')!.value);
  const offsetMinutes = h * 60 + m - 12 * 60;
  return new Date(Date.parse(`${date}T00:00:00Z`) - offsetMinutes * 60_000).toISOString();
}

/** The school date after `date`. */
export function nextDate(date: string): string {
  return new Date(Date.parse(`${date}T00:00:00Z`) + 86_400_000).toISOString().slice(0, 10);
}
