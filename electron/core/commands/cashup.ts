import type { Kysely, Transaction } from 'kysely';
import type { Device, LocalDatabase } from '../store/database.js';
import { AppError } from '../../../shared/api/errors.js';
import { uuidv7 } from '../../../shared/ids.js';
import { formatMinor } from '../../../shared/money.js';
import { schoolDate } from '../../../shared/domain/ledger-math.js';
import { sumTotals } from '../../../shared/domain/cashup.js';
import type { ApiParsedInput } from '../../../shared/api/contract.js';
import type { CashUpView } from '../../../shared/domain/bursary-views.js';
import type { SessionUser } from '../../../shared/domain/staff.js';
import { cashUpRowFromArgs, type MutationArgs } from '../../../shared/sync/mutations.js';
import { appendMutation } from '../outbox/outbox.js';
import { requireDevice } from '../device/device-state.js';
import { cashUpView, findCashUp, tillDay } from '../queries/cashup.js';
import { schoolTime, tillOf } from './closed-day.js';

/** The local effect of a cash-up (new or resent): one per bursar, device and school date. */
export async function writeCashUpLocally(tx: Transaction<LocalDatabase>, args: MutationArgs<'cashup.close'>, device: Device, author: SessionUser): Promise<void> {
  const earlier = await findCashUp(tx, tillOf(device, author), args.businessDate);
  if (earlier) {
    throw new AppError(
      'conflict',
      `You already closed ${args.businessDate} on this computer at ${schoolTime(earlier.closed_at, device.time_zone)} (counted ${formatMinor(sumTotals(JSON.parse(earlier.counted)), device.currency)}). A day is closed once.`,
    );
  }
  const row = cashUpRowFromArgs(args, device.device_id, author.id);
  await tx.insertInto('cash_ups').values({ ...row, expected: JSON.stringify(row.expected), counted: JSON.stringify(row.counted) }).execute();
}

/** The school date a cash-up is for: today unless the bursar closes an earlier day late. */
export function businessDateOf(device: Device, requested: string | undefined): string {
  const today = schoolDate(new Date(), device.time_zone);
  const date = requested ?? today;
  if (date > today) throw new AppError('invalid_input', `${date} has not come yet; a day can be closed on the day or later.`, [{ path: 'businessDate', message: 'This day has not come yet.' }]);
  return date;
}

/**
 * Closes the signed-in bursar's day on this device: the expected figures come from the ledger at
 * this moment and are kept with what was counted, so later voids never rewrite a closed day.
 */
export async function closeCashUp(db: Kysely<LocalDatabase>, author: SessionUser, input: ApiParsedInput<'cashup.close'>): Promise<CashUpView> {
  const device = await requireDevice(db);
  const businessDate = businessDateOf(device, input.businessDate);
  const till = tillOf(device, author);
  return db.transaction().execute(async (tx) => {
    const args: MutationArgs<'cashup.close'> = {
      id: uuidv7(),
      businessDate,
      staffName: author.displayName,
      expected: (await tillDay(tx, till, businessDate)).expected,
      counted: input.counted,
      note: input.note,
      closedAt: new Date().toISOString(),
    };
    await appendMutation(tx, 'cashup.close', args, [{ table: 'cash_ups', id: args.id }], author.id);
    await writeCashUpLocally(tx, args, device, author);
    return cashUpView(tx, till, author.displayName, device.device_name, businessDate);
  });
}
