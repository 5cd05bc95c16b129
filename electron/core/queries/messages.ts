import { sql, type Kysely, type Transaction } from 'kysely';
import type { LocalDatabase } from '../store/database.js';
import { AppError } from '../../../shared/api/errors.js';
import { groupLabel, preview, type InboxItem, type MessageCursor, type MessageView, type RecipientChoices, type SentItem } from '../../../shared/domain/message-views.js';

type Db = Kysely<LocalDatabase> | Transaction<LocalDatabase>;

interface Page<T> {
  rows: T[];
  next: MessageCursor | null;
}

function paged<T extends { id: string; sentAt: string }>(rows: T[], limit: number): Page<T> {
  const more = rows.length > limit;
  if (more) rows.pop();
  const last = rows.at(-1);
  return { rows, next: more && last ? { sentAt: last.sentAt, id: last.id } : null };
}

/** The person's inbox, newest first: their own rows of the inbox index, keyset-paged on
 * (sent_at, message_id), each joined to its message by primary key. */
export function inboxPageQuery(db: Db, staffId: string, after: MessageCursor | null, limit: number) {
  let q = db
    .selectFrom('message_inbox as i')
    .innerJoin('messages as m', 'm.id', 'i.message_id')
    .select(['i.message_id as id', 'i.sent_at as sentAt', 'i.read_at as readAt', 'm.sender_name as senderName', 'm.to_label as toLabel', 'm.subject', sql<string>`substr(m.body, 1, 400)`.as('body')])
    .where('i.staff_id', '=', staffId);
  if (after) q = q.where(sql<boolean>`(i.sent_at, i.message_id) < (${after.sentAt}, ${after.id})`);
  return q.orderBy('i.sent_at', 'desc').orderBy('i.message_id', 'desc').limit(limit + 1);
}

export async function inboxPage(db: Db, staffId: string, after: MessageCursor | null, limit: number): Promise<Page<InboxItem>> {
  const rows = await inboxPageQuery(db, staffId, after, limit).execute();
  return paged(
    rows.map((r) => ({ id: r.id, senderName: r.senderName, toLabel: r.toLabel, subject: r.subject, preview: preview(r.body), sentAt: r.sentAt, read: r.readAt !== null })),
    limit,
  );
}

export function sentPageQuery(db: Db, senderId: string, after: MessageCursor | null, limit: number) {
  let q = db
    .selectFrom('messages as m')
    .select(['m.id', 'm.sent_at as sentAt', 'm.to_label as toLabel', 'm.subject', sql<number>`json_array_length(m.to_staff_ids)`.as('recipientCount')])
    .where('m.sender_id', '=', senderId);
  if (after) q = q.where(sql<boolean>`(m.sent_at, m.id) < (${after.sentAt}, ${after.id})`);
  return q.orderBy('m.sent_at', 'desc').orderBy('m.id', 'desc').limit(limit + 1);
}

/** The person's sent messages, newest first, each with how many of its recipients read it
 * (one grouped query for the page). */
export async function sentPage(db: Db, senderId: string, after: MessageCursor | null, limit: number): Promise<Page<SentItem>> {
  const rows = await sentPageQuery(db, senderId, after, limit).execute();
  const ids = rows.map((r) => r.id);
  const reads =
    ids.length === 0
      ? []
      : await db
          .selectFrom('message_reads')
          .select(['message_id', (eb) => eb.fn.countAll<number>().as('n')])
          .where('message_id', 'in', ids)
          .groupBy('message_id')
          .execute();
  const readCount = new Map(reads.map((r) => [r.message_id, Number(r.n)]));
  return paged(
    rows.map((r) => ({ ...r, recipientCount: Number(r.recipientCount), readCount: readCount.get(r.id) ?? 0 })),
    limit,
  );
}

/** Messages to this person they have not opened: their unread rows of the inbox index (migration 0011). */
export async function unreadCount(db: Db, staffId: string): Promise<number> {
  const row = await db
    .selectFrom('message_inbox')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('staff_id', '=', staffId)
    .where('read_at', 'is', null)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

/** A message the person sent or received (anyone else's is "not found": only your own messages show). */
export async function readMessage(db: Db, id: string, staffId: string): Promise<{ view: MessageView; unreadByMe: boolean }> {
  const m = await db.selectFrom('messages').selectAll().where('id', '=', id).executeTakeFirst();
  const mine = await db.selectFrom('message_inbox').select('read_at').where('message_id', '=', id).where('staff_id', '=', staffId).executeTakeFirst();
  if (!m || (m.sender_id !== staffId && !mine)) throw new AppError('not_found', 'That message is not on this computer for you. Sync, then look again.');
  let receipts: MessageView['receipts'] = null;
  if (m.sender_id === staffId) {
    const recipients = JSON.parse(m.to_staff_ids) as string[];
    const [staff, reads] = await Promise.all([
      db.selectFrom('staff').select(['id', 'display_name']).where('id', 'in', recipients).execute(),
      db.selectFrom('message_reads').select(['staff_id', 'read_at']).where('message_id', '=', id).execute(),
    ]);
    const names = new Map(staff.map((s) => [s.id, s.display_name]));
    const readAt = new Map(reads.map((r) => [r.staff_id, r.read_at]));
    receipts = recipients
      .map((staffId) => ({ staffId, name: names.get(staffId) ?? 'Someone no longer on the staff list', readAt: readAt.get(staffId) ?? null }))
      .sort((a, b) => (a.readAt === null) !== (b.readAt === null) ? (a.readAt === null ? 1 : -1) : a.name.localeCompare(b.name));
  }
  return {
    view: { id: m.id, senderId: m.sender_id, senderName: m.sender_name, toLabel: m.to_label, subject: m.subject, body: m.body, sentAt: m.sent_at, receipts },
    unreadByMe: mine !== undefined && mine.read_at === null,
  };
}

/** Everyone a message can go to: active staff, and each role with active members besides the writer. */
export async function recipientChoices(db: Db, writerId: string): Promise<RecipientChoices> {
  const staff = await db
    .selectFrom('staff as s')
    .leftJoin('roles as r', 'r.id', 's.role_id')
    .select(['s.id', 's.display_name as name', 's.role_id as roleId', 'r.name as roleName'])
    .where('s.active', '=', 1)
    .orderBy('s.display_name')
    .execute();
  const others = staff.filter((s) => s.id !== writerId);
  const byRole = new Map<string, { label: string; count: number }>();
  for (const s of others) {
    if (s.roleName === null) continue;
    const g = byRole.get(s.roleId) ?? { label: groupLabel(s.roleName), count: 0 };
    g.count++;
    byRole.set(s.roleId, g);
  }
  const groups: RecipientChoices['groups'] = [...byRole.entries()].map(([id, g]) => ({ kind: 'role' as const, id, label: g.label, count: g.count })).sort((a, b) => a.label.localeCompare(b.label));
  if (others.length > 0) groups.unshift({ kind: 'all', id: null, label: 'All staff', count: others.length });
  return { staff: staff.map((s) => ({ id: s.id, name: s.name, roleName: s.roleName })), groups };
}
