import type { VoidRow } from '../../../shared/domain/fees.js';
import { allocateOldestFirst, schoolDate, settle, type LedgerCharge, type LedgerCredit } from '../../../shared/domain/ledger-math.js';
import { formatReceiptNo, type PaymentMethod, type PaymentRow, type RefundRow } from '../../../shared/domain/payments.js';
import { instantOn, OPENS_AT, pickDay, totalWeight, type HistoryCalendar } from './history-calendar.js';
import { ReferenceBook } from './history-references.js';
import { mulberry32, stableUuid } from './prng.js';

// The demo bursar's term at the history device's till, worked out student by student as
// payments.record, ledger.void and refunds.record would have recorded it: each payment spread
// over the charges the student owed at that moment, oldest due first, the rest as credit; a few
// entries voided minutes later and recorded again; a couple of overpayments paid back.

const HUNDRED = 10_000;
const PAYING_SHARE = 0.6;
const FULLY_PAID_SHARE = 0.45;
const MAX_OVERPAYERS = 6;
const REFUNDS = 2;

/** One enrolled student's live ledger before the history. */
export interface HistoryStudent {
  id: string;
  charges: LedgerCharge[];
  discounts: (LedgerCredit & { postedAt: string })[];
  payments: LedgerCredit[];
  refundsMinor: number;
}

export interface HistoryTill {
  deviceId: string;
  receiptSeries: string;
  staffId: string;
  staffName: string;
  currency: string;
}

export interface HistoryEntries {
  payments: PaymentRow[];
  voids: VoidRow[];
  refunds: RefundRow[];
}

/** A payment entered wrongly, voided a minute later and recorded again right. */
interface Mistake {
  reason: string;
  /** The method the right payment was made by, when the mistake was about the method. */
  realMethod?: PaymentMethod;
  wrong: (right: { amountMinor: number; method: PaymentMethod; reference: string | null }, issue: (m: PaymentMethod) => string | null) => {
    amountMinor: number;
    method: PaymentMethod;
    reference: string | null;
  };
}

const MISTAKES: readonly Mistake[] = [
  {
    reason: 'Amount typed with an extra zero; recorded again with the right amount.',
    wrong: (right) => ({ ...right, amountMinor: right.amountMinor * 10 }),
  },
  {
    reason: 'Recorded as cash but the parent paid by mobile money; recorded again.',
    realMethod: 'mobile_money',
    wrong: (right) => ({ ...right, method: 'cash', reference: null }),
  },
  {
    reason: 'M-Pesa code typed wrong; recorded again with the code from the message.',
    realMethod: 'mobile_money',
    wrong: (right) => ({ ...right, reference: swapped(right.reference ?? '') }),
  },
  {
    reason: 'The cheque was post-dated; the parent paid in cash instead.',
    realMethod: 'cash',
    wrong: (right, issue) => ({ ...right, method: 'cheque', reference: issue('cheque') }),
  },
];

/** Two neighbouring characters of a code the wrong way round (the first pair that differs
 * after the network's prefix). */
function swapped(code: string): string {
  let i = 3;
  while (i < code.length - 2 && code[i] === code[i + 1]) i++;
  return `${code.slice(0, i)}${code[i + 1] ?? ''}${code[i] ?? ''}${code.slice(i + 2)}`;
}

function method(next: () => number): PaymentMethod {
  const r = next();
  return r < 0.4 ? 'cash' : r < 0.82 ? 'mobile_money' : r < 0.97 ? 'bank_transfer' : 'cheque';
}

/** `total` in `count` parts, each a whole number of hundreds. */
function split(total: number, count: number, next: () => number): number[] {
  const units = total / HUNDRED;
  const n = Math.min(count, units);
  const cuts = new Set<number>();
  while (cuts.size < n - 1) cuts.add(1 + Math.floor(next() * (units - 1)));
  const bounds = [0, ...[...cuts].sort((a, b) => a - b), units];
  return bounds.slice(1).map((b, i) => (b - bounds[i]!) * HUNDRED);
}

/** Evenly spread positions among `n` payers for `k` roles, offset so roles do not coincide. */
function spread(n: number, k: number, offset: number): Set<number> {
  return new Set(Array.from({ length: k }, (_, j) => Math.floor(((j + offset) * n) / k)));
}

/** The student's ledger as it stood at an instant: charges and discounts posted by then. */
class Book {
  readonly payments: LedgerCredit[];
  refundsMinor: number;

  constructor(private readonly student: HistoryStudent) {
    this.payments = [...student.payments];
    this.refundsMinor = student.refundsMinor;
  }

  at(instant: string) {
    const charges = this.student.charges.filter((c) => c.postedAt <= instant);
    const discounts = this.student.discounts.filter((d) => d.postedAt <= instant);
    return { charges, ...settle(charges, this.payments, discounts, this.refundsMinor) };
  }
}

/** What the till took (payments not voided) per school date and method. */
function takings(entries: HistoryEntries, timeZone: string): Map<string, number> {
  const voided = new Set(entries.voids.map((v) => v.target_id));
  const out = new Map<string, number>();
  for (const p of entries.payments) {
    if (voided.has(p.id)) continue;
    const key = `${schoolDate(p.recorded_at, timeZone)} ${p.method}`;
    out.set(key, (out.get(key) ?? 0) + p.amount_minor);
  }
  return out;
}

const seedOf = (studentId: string) => parseInt(studentId.replaceAll('-', '').slice(0, 8), 16) ^ 0x2026_0824;
const plus = (instant: string, minutes: number) => new Date(Date.parse(instant) + minutes * 60_000).toISOString();

/**
 * The history for `students` (in admission order) over the calendar's days. Each student draws
 * from their own generator, so one student's history does not depend on the others'.
 */
export function planHistory(students: readonly HistoryStudent[], calendar: HistoryCalendar, till: HistoryTill): HistoryEntries {
  const out: HistoryEntries = { payments: [], voids: [], refunds: [] };
  if (calendar.days.length === 0) return out;
  const weight = totalWeight(calendar);
  const references = new ReferenceBook();
  const everything = '9999-12-31T00:00:00.000Z';

  const payers = students
    .map((s) => ({ student: s, next: mulberry32(seedOf(s.id)) }))
    .filter(({ student, next }) => next() < PAYING_SHARE && new Book(student).at(everything).balanceMinor > 0);
  const overpayers = spread(payers.length, Math.min(MAX_OVERPAYERS, Math.floor(payers.length / 4)), 0.25);
  const voidCount = payers.length >= 16 ? 3 + (payers.length % 2) : Math.floor(payers.length / 4);
  const mistaken = [...spread(payers.length, voidCount, 0.75)];
  const refundable: { student: HistoryStudent; book: Book; next: () => number; last: { date: string; at: string } }[] = [];

  for (const [index, { student, next }] of payers.entries()) {
    const book = new Book(student);
    const owed = book.at(everything).balanceMinor;
    const count = 1 + Math.floor(next() * 3);
    const full = next() < FULLY_PAID_SHARE;
    const fraction = 0.25 + 0.6 * next();
    const overpaid = overpayers.has(index);
    const total = overpaid
      ? owed + (1 + Math.floor(next() * 5)) * HUNDRED
      : full
        ? owed
        : Math.max(HUNDRED, Math.round((owed * fraction) / HUNDRED) * HUNDRED);

    const times = split(total, count, next)
      .map((amountMinor) => {
        const day = pickDay(calendar, next, weight);
        const minute = day.firstMinute + Math.floor(next() * (day.lastMinute - day.firstMinute + 1));
        return { amountMinor, date: day.date, at: instantOn(calendar, day.date, minute, Math.floor(next() * 60)) };
      })
      .sort((a, b) => (a.at < b.at ? -1 : a.at > b.at ? 1 : 0));

    let k = 0;
    const record = (at: string, amountMinor: number, how: PaymentMethod, reference: string | null): PaymentRow => {
      const { charges, outstanding } = book.at(at);
      const allocations = allocateOldestFirst(charges, outstanding, amountMinor);
      const row: PaymentRow = {
        id: stableUuid('demo', 'history', 'payment', student.id, String(k++)),
        student_id: student.id,
        amount_minor: amountMinor,
        currency: till.currency,
        method: how,
        reference,
        receipt_no: '',
        recorded_at: at,
        recorded_by: till.staffName,
        recorded_by_id: till.staffId,
        device_id: till.deviceId,
        allocations,
      };
      book.payments.push({ id: row.id, amountMinor, allocations });
      out.payments.push(row);
      return row;
    };

    const mistake = MISTAKES[mistaken.indexOf(index)];
    for (const [i, p] of times.entries()) {
      const how = i === 0 && mistake?.realMethod ? mistake.realMethod : method(next);
      const right = { amountMinor: p.amountMinor, method: how, reference: references.issue(how, p.date, next) };
      if (i === 0 && mistake) {
        const wrong = mistake.wrong(right, (m) => references.issue(m, p.date, next));
        const entered = record(plus(p.at, -3), wrong.amountMinor, wrong.method, wrong.reference);
        const voidedAt = plus(p.at, -2);
        out.voids.push({ id: stableUuid('demo', 'history', 'void', entered.id), target_table: 'payments', target_id: entered.id, reason: mistake.reason, voided_at: voidedAt, voided_by: till.staffName, device_id: till.deviceId });
        book.payments.splice(book.payments.findIndex((x) => x.id === entered.id), 1);
      }
      record(p.at, right.amountMinor, right.method, right.reference);
    }

    const last = times.at(-1)!;
    if (overpaid && last.date < calendar.today) refundable.push({ student, book, next, last });
  }

  // Paid back from that day's takings in the method (the till cannot count less than nothing),
  // on the day of the overpayment or a later one before today.
  const takenBy = takings(out, calendar.timeZone);
  for (const { student, book, next, last } of refundable) {
    if (out.refunds.length === REFUNDS) break;
    const first = out.refunds.length === 0;
    // The credit once every charge is posted: the least it will be from now on.
    const { creditMinor } = book.at(everything);
    const amountMinor = first ? creditMinor : Math.max(HUNDRED, Math.floor(creditMinor / 2 / HUNDRED) * HUNDRED);
    if (amountMinor <= 0 || amountMinor > creditMinor) continue;
    const methods: PaymentMethod[] = first ? ['cash', 'mobile_money'] : ['mobile_money', 'cash'];
    const choice = calendar.days
      .filter((d) => d.date >= last.date && d.date < calendar.today)
      .flatMap((d) => methods.map((how) => ({ date: d.date, how })))
      .find(({ date, how }) => (takenBy.get(`${date} ${how}`) ?? 0) >= amountMinor);
    if (!choice) continue;
    const { date, how } = choice;
    takenBy.set(`${date} ${how}`, takenBy.get(`${date} ${how}`)! - amountMinor);
    const at = date === last.date ? plus(last.at, 15) : instantOn(calendar, date, OPENS_AT + 90 + Math.floor(next() * 300));
    out.refunds.push({
      id: stableUuid('demo', 'history', 'refund', student.id),
      student_id: student.id,
      amount_minor: amountMinor,
      currency: till.currency,
      method: how,
      reference: references.issue(how, date, next),
      reason: `${first ? 'Overpaid: the extra' : "Part of the credit, at the parent's request,"} returned ${how === 'cash' ? 'in cash' : 'by M-Pesa'}.`,
      refunded_at: at,
      refunded_by: till.staffName,
      refunded_by_id: till.staffId,
      device_id: till.deviceId,
    });
    book.refundsMinor += amountMinor;
  }

  // Receipt numbers in the order the till issued them.
  out.payments.sort((a, b) => (a.recorded_at < b.recorded_at ? -1 : a.recorded_at > b.recorded_at ? 1 : 0));
  out.payments.forEach((p, i) => (p.receipt_no = formatReceiptNo(till.receiptSeries, i + 1)));
  return out;
}
