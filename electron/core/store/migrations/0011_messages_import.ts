import { sql, type Kysely } from 'kysely';

// Messages, conflicts and the students import (issue 5). Frozen like every migration.
// - message_inbox: one row per (recipient, message), filled by triggers, so a person's inbox and
//   unread count read their own rows in order instead of scanning every message's recipients
//   (to_staff_ids is a JSON array). read_at mirrors the recipient's read receipt, whichever of
//   the two rows arrives first.
// - the sender's sent list, guardians by phone (an import links siblings to one guardian) and
//   students by admission number as imports compare it (trimmed, any letter case), resolved
//   conflicts newest first.

/** The SQL of shared/domain/student-import.ts's phoneKey; queries use it verbatim to use the index. */
export const GUARDIAN_PHONE_KEY = "replace(replace(replace(replace(phone, ' ', ''), '-', ''), '(', ''), ')', '')";

export async function up(db: Kysely<any>): Promise<void> {
  await sql`create table message_inbox (
    staff_id text not null,
    sent_at text not null,
    message_id text not null,
    read_at text,
    primary key (staff_id, sent_at, message_id)
  ) without rowid`.execute(db);
  await sql`create index message_inbox_unread on message_inbox (staff_id) where read_at is null`.execute(db);
  await sql`create unique index message_inbox_by_message on message_inbox (message_id, staff_id)`.execute(db);

  await sql`create trigger message_inbox_fill after insert on messages begin
    insert or ignore into message_inbox (staff_id, sent_at, message_id, read_at)
      select r.value, new.sent_at, new.id,
             (select mr.read_at from message_reads mr where mr.message_id = new.id and mr.staff_id = r.value)
      from json_each(new.to_staff_ids) r;
  end`.execute(db);
  await sql`create trigger message_inbox_drop after delete on messages begin
    delete from message_inbox where message_id = old.id;
  end`.execute(db);
  await sql`create trigger message_inbox_read after insert on message_reads begin
    update message_inbox set read_at = new.read_at
      where message_id = new.message_id and staff_id = new.staff_id and read_at is null;
  end`.execute(db);
  await sql`insert or ignore into message_inbox (staff_id, sent_at, message_id, read_at)
    select r.value, m.sent_at, m.id, (select mr.read_at from message_reads mr where mr.message_id = m.id and mr.staff_id = r.value)
    from messages m, json_each(m.to_staff_ids) r`.execute(db);

  await db.schema.createIndex('messages_by_sender').on('messages').columns(['sender_id', 'sent_at', 'id']).execute();
  // Phones as imports compare them (phoneKey: without spaces, dashes or brackets).
  await sql`create index guardians_by_phone on guardians (${sql.raw(GUARDIAN_PHONE_KEY)})`.execute(db);
  await sql`create index students_by_admission_key on students (upper(trim(admission_no)))`.execute(db);
  await sql`create index record_conflicts_resolved on record_conflicts (resolved_at, id) where resolved_at is not null`.execute(db);
}
