import { sql } from 'kysely';
import { schoolDate } from '../../../shared/domain/ledger-math.js';
import type { TenantTrx } from '../db/with-tenant.js';

/** A device timestamp as the school reads it: "2026-05-02 17:32" in the school's time zone. */
export function schoolDateTime(at: string, timeZone: string): string {
  const d = new Date(at);
  if (Number.isNaN(d.getTime())) return at;
  const time = new Intl.DateTimeFormat('en-GB', { timeZone, hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).format(d);
  return `${schoolDate(d, timeZone)} ${time}`;
}

export interface ClosedDay {
  businessDate: string;
  staffName: string;
  closedAt: string;
}

/** The cash-up that closed this bursar's day on this device, if there is one. */
export async function findCashUp(trx: TenantTrx, tenantId: string, till: { deviceId: string; staffId: string; businessDate: string }): Promise<ClosedDay | undefined> {
  const c = await trx
    .selectFrom('cash_ups')
    .select(['staff_name', 'closed_at'])
    .where('tenant_id', '=', tenantId)
    .where('device_id', '=', till.deviceId)
    .where('staff_id', '=', till.staffId)
    .where(sql<string>`business_date`, '=', till.businessDate)
    .executeTakeFirst();
  return c && { businessDate: till.businessDate, staffName: c.staff_name, closedAt: c.closed_at };
}

/**
 * Why a payment, refund or expense recorded at `at` by `staffId` on `deviceId` falls into a day
 * that bursar already closed on that device, or null. The device pushes in order, so whatever
 * was recorded before the close reached the server before the cash-up: no clock is trusted.
 */
export async function closedDayRefusal(
  trx: TenantTrx,
  tenantId: string,
  entry: { deviceId: string; staffId: string | null; at: string; timeZone: string; what: string },
): Promise<string | null> {
  if (!entry.staffId) return null;
  const businessDate = schoolDate(entry.at, entry.timeZone);
  const closed = await findCashUp(trx, tenantId, { deviceId: entry.deviceId, staffId: entry.staffId, businessDate });
  if (!closed) return null;
  return (
    `${closed.staffName}'s day ${businessDate} on this computer was closed by a cash-up at ${schoolDateTime(closed.closedAt, entry.timeZone)}; ` +
    `a ${entry.what} cannot be added to a closed day, so this one was not recorded. Discard it from Needs attention and record it again today.`
  );
}
