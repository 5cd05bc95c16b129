import type { Transaction } from 'kysely';
import type { Device, LocalDatabase } from '../store/database.js';
import type { SessionUser } from '../../../shared/domain/staff.js';
import { AppError } from '../../../shared/api/errors.js';
import { schoolDate } from '../../../shared/domain/ledger-math.js';
import { findCashUp, type Till } from '../queries/cashup.js';

/** The signed-in bursar's till on this device. */
export const tillOf = (device: Device, author: SessionUser): Till => ({ deviceId: device.device_id, staffId: author.id, timeZone: device.time_zone });

/** "17:04", in the school's time zone. */
export function schoolTime(at: string, timeZone: string): string {
  return new Intl.DateTimeFormat('en-GB', { timeZone, hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).format(new Date(at));
}

/**
 * Once a bursar has closed a day on this device, nothing more of theirs may be recorded into it
 * here: the counted till would no longer match. The server refuses the same, so the rule holds
 * whatever the clocks say (the device pushes in order: everything before the close goes first).
 */
export async function assertDayOpen(tx: Transaction<LocalDatabase>, till: Till, at: string, entries: string): Promise<void> {
  const date = schoolDate(at, till.timeZone);
  const closed = await findCashUp(tx, till, date);
  if (closed) {
    throw new AppError(
      'conflict',
      `You closed ${date} on this computer at ${schoolTime(closed.closed_at, till.timeZone)} (cash-up), so no more ${entries} can be recorded into that day here. Ask another bursar to record it, or record it on the next day.`,
    );
  }
}
