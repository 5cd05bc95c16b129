import { sumTotals, zeroTotals, type CashUpRow } from '../../../shared/domain/cashup.js';
import { schoolDate } from '../../../shared/domain/ledger-math.js';
import { CLOSES_AT, instantOn, type HistoryCalendar } from './history-calendar.js';
import type { HistoryEntries, HistoryTill } from './history-plan.js';
import { mulberry32, stableUuid } from './prng.js';

// Every past day the history device took money on ends with the bursar's cash-up, as
// cashup.close records it: expected = that day's payments less refunds by method (voided entries
// excluded; the history device pays out no expenses), counted equal, or now and then a little
// short in cash. The seeding day stays open.

const SHORT_BY = [5_000, 10_000, 20_000];

export function planCashUps(entries: HistoryEntries, calendar: HistoryCalendar, till: HistoryTill): CashUpRow[] {
  const voided = new Set(entries.voids.map((v) => v.target_id));
  const days = new Map<string, ReturnType<typeof zeroTotals>>();
  const day = (at: string) => {
    const date = schoolDate(at, calendar.timeZone);
    if (!days.has(date)) days.set(date, zeroTotals());
    return days.get(date)!;
  };
  for (const p of entries.payments) {
    const expected = day(p.recorded_at);
    if (!voided.has(p.id)) expected[p.method] += p.amount_minor;
  }
  for (const r of entries.refunds) day(r.refunded_at)[r.method] -= r.amount_minor;

  const next = mulberry32(20260830);
  const rows: CashUpRow[] = [];
  for (const [date, expected] of [...days].sort(([a], [b]) => (a < b ? -1 : 1))) {
    if (date >= calendar.today) continue;
    const counted = { ...expected };
    const short = SHORT_BY[Math.floor(next() * SHORT_BY.length)]!;
    const isShort = next() < 0.2 && expected.cash >= short;
    if (isShort) counted.cash -= short;
    rows.push({
      id: stableUuid('demo', 'history', 'cash-up', date),
      business_date: date,
      device_id: till.deviceId,
      staff_id: till.staffId,
      staff_name: till.staffName,
      expected,
      counted,
      difference_minor: sumTotals(counted) - sumTotals(expected),
      note: isShort ? 'Cash short; change given from the till, not found on recount.' : '',
      closed_at: instantOn(calendar, date, CLOSES_AT + 5 + Math.floor(next() * 40), Math.floor(next() * 60)),
    });
  }
  return rows;
}
