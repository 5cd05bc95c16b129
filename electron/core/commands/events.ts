import type { Kysely, Transaction } from 'kysely';
import type { z } from 'zod';
import type { LocalDatabase } from '../store/database.js';
import { AppError } from '../../../shared/api/errors.js';
import { uuidv7 } from '../../../shared/ids.js';
import { eventProblem } from '../../../shared/domain/calendar.js';
import type { EventView, SaveEventInput } from '../../../shared/domain/calendar-views.js';
import type { SessionUser } from '../../../shared/domain/staff.js';
import { eventById } from '../queries/events.js';
import { requireClass } from '../queries/attendance.js';
import { saveRecords } from './save-records.js';

type Input = z.output<typeof SaveEventInput>;

async function requireEvent(db: Kysely<LocalDatabase> | Transaction<LocalDatabase>, id: string): Promise<void> {
  const found = await db.selectFrom('events').select('id').where('id', '=', id).where('deleted', '=', 0).executeTakeFirst();
  if (!found) throw new AppError('not_found', 'That event is not on this device: it may have been deleted. Sync, then look again.');
}

/** Creates (no id) or edits an event; only the fields that changed are queued (events.save). */
export async function saveEvent(db: Kysely<LocalDatabase>, author: SessionUser, input: Input): Promise<EventView> {
  const problem = eventProblem({ starts_on: input.startsOn, ends_on: input.endsOn, start_time: input.startTime, end_time: input.endTime });
  if (problem) throw new AppError('invalid_input', problem, [{ path: input.endsOn < input.startsOn ? 'endsOn' : 'endTime', message: problem }]);
  const id = input.id ?? uuidv7();
  await db.transaction().execute(async (tx) => {
    if (input.id) await requireEvent(tx, input.id);
    if (input.classId) await requireClass(tx, input.classId);
    const values = {
      title: input.title,
      type: input.type,
      starts_on: input.startsOn,
      ends_on: input.endsOn,
      start_time: input.startTime,
      end_time: input.endTime,
      location: input.location?.trim() || null,
      description: input.description,
      class_id: input.classId,
    };
    await saveRecords(tx, 'events', [{ id, values }], author.id);
  });
  return (await eventById(db, id))!;
}

/** Removes an event: a tombstone that syncs like any edit. */
export async function deleteEvent(db: Kysely<LocalDatabase>, author: SessionUser, id: string): Promise<void> {
  await requireEvent(db, id);
  await db.transaction().execute((tx) => saveRecords(tx, 'events', [{ id, values: {}, delete: true }], author.id));
}
