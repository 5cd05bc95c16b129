import type { Kysely, Transaction } from 'kysely';
import { sql } from 'kysely';
import type { LocalDatabase } from '../store/database.js';
import type { EventCursor, EventFilter, EventsPage, EventView } from '../../../shared/domain/calendar-views.js';
import { WINDOW_LIMIT } from '../../../shared/domain/calendar-views.js';
import type { EventType } from '../../../shared/domain/calendar.js';
import { keysetPage } from './ledger-sql.js';

type Db = Kysely<LocalDatabase> | Transaction<LocalDatabase>;

function withColumns(db: Db) {
  return db
    .selectFrom('events as e')
    .leftJoin('classes as c', 'c.id', 'e.class_id')
    .select([
      'e.id',
      'e.title',
      'e.type',
      'e.starts_on as startsOn',
      'e.ends_on as endsOn',
      'e.start_time as startTime',
      'e.end_time as endTime',
      'e.location',
      'e.description',
      'e.class_id as classId',
      'c.name as className',
    ])
    .where('e.deleted', '=', 0);
}

const asView = (r: { type: string } & Omit<EventView, 'type'>): EventView => ({ ...r, type: r.type as EventType });

/** Events in date order, keyset-paged on (starts_on, id): events_by_start, or the type's or
 * class's own index when the list is filtered by one. */
export function eventsPageQuery(db: Db, filter: EventFilter, after: EventCursor | null, limit: number) {
  let q = withColumns(db);
  if (filter.type) q = q.where('e.type', '=', filter.type);
  if (filter.classId) q = q.where('e.class_id', '=', filter.classId);
  // One lower bound, the tighter of the range's start and the cursor, so SQLite seeks to it.
  if (after && (!filter.from || after.startsOn >= filter.from)) q = q.where(sql<boolean>`(e.starts_on, e.id) > (${after.startsOn}, ${after.id})`);
  else if (filter.from) q = q.where('e.starts_on', '>=', filter.from);
  if (filter.to) q = q.where('e.starts_on', '<=', filter.to);
  return q.orderBy('e.starts_on').orderBy('e.id').limit(limit + 1);
}

export async function listEvents(db: Db, input: { filter: EventFilter; after: EventCursor | null; limit: number; withTotal: boolean }): Promise<EventsPage> {
  const rows = (await eventsPageQuery(db, input.filter, input.after, input.limit).execute()).map(asView);
  let total: number | null = null;
  if (input.withTotal) {
    let q = db.selectFrom('events as e').select((eb) => eb.fn.countAll<number>().as('n')).where('e.deleted', '=', 0);
    if (input.filter.type) q = q.where('e.type', '=', input.filter.type);
    if (input.filter.classId) q = q.where('e.class_id', '=', input.filter.classId);
    if (input.filter.from) q = q.where('e.starts_on', '>=', input.filter.from);
    if (input.filter.to) q = q.where('e.starts_on', '<=', input.filter.to);
    total = Number((await q.executeTakeFirstOrThrow()).n);
  }
  return { ...keysetPage(rows, input.limit, (r) => ({ startsOn: r.startsOn, id: r.id })), total };
}

/** Events on any day of [from, to] (a month, the coming fortnight), including ones that began
 * earlier and run into it, in date order. */
export async function eventsInWindow(db: Db, from: string, to: string, filter: { type?: EventType; classId?: string } = {}): Promise<EventView[]> {
  let q = withColumns(db).where('e.starts_on', '<=', to).where('e.ends_on', '>=', from);
  if (filter.type) q = q.where('e.type', '=', filter.type);
  if (filter.classId) q = q.where('e.class_id', '=', filter.classId);
  return (await q.orderBy('e.starts_on').orderBy('e.id').limit(WINDOW_LIMIT).execute()).map(asView);
}

export async function eventById(db: Db, id: string): Promise<EventView | undefined> {
  const row = await withColumns(db).where('e.id', '=', id).executeTakeFirst();
  return row ? asView(row) : undefined;
}
