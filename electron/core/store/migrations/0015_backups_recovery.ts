import { sql, type Kysely } from 'kysely';

// Frozen like every migration. What a rebuild after a damaged database needs to leave behind,
// and the hold on new receipt numbers until it has caught up (DESIGN §3: a receipt number is
// never issued twice).

export async function up(db: Kysely<any>): Promise<void> {
  // Each time the database was found damaged at start and rebuilt: shown with the backups.
  await db.schema
    .createTable('recovery_reports')
    .addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
    .addColumn('at', 'text', (c) => c.notNull())
    .addColumn('damaged_file', 'text', (c) => c.notNull())
    .addColumn('from_backup', 'text')
    .addColumn('pending_recovered', 'integer', (c) => c.notNull())
    .addColumn('reason', 'text', (c) => c.notNull())
    .execute();

  // A row here holds back new receipt numbers: a rebuilt database does not know the numbers the
  // lost one issued after its last backup until the server's payments have been pulled.
  await db.schema
    .createTable('receipt_hold')
    .addColumn('id', 'integer', (c) => c.primaryKey().check(sql`id = 1`))
    .addColumn('since', 'text', (c) => c.notNull())
    .execute();

  // The pull's statement names shape_handle; its last_sync_at moves only at an up-to-date, so
  // this fires once the pull has caught up with the server and no snapshot is still streaming
  // (a push's "last synced" does not name shape_handle). The counter then goes past the highest
  // number of this device's series the server sent: one range of the receipt_no index, once.
  // (A trigger on every pulled payment instead halved the rate payments are stored at.)
  await sql`create trigger receipt_hold_release after update of shape_handle on sync_state
    when new.last_sync_at is not old.last_sync_at and new.shape_offset is not null and new.refetching = 0
      and new.snapshot_phase is null and exists (select 1 from receipt_hold)
    begin
      update device set next_receipt_no = max(next_receipt_no, 1 + coalesce((
        select max(cast(substr(p.receipt_no, length(device.receipt_series) + 2) as integer)) from payments p
        where p.receipt_no >= device.receipt_series || '-' and p.receipt_no < device.receipt_series || '.'), 0))
      where id = 1;
      delete from receipt_hold;
    end`.execute(db);
}

export async function down(): Promise<void> {
  throw new Error('Local migrations are forward-only: a device never downgrades its store.');
}
