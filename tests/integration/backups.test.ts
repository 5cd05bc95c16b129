// Backups of the local database on real SQLite files: the schedule writes and prunes them, a
// backup taken while payments are being recorded is one consistent moment, and a restore brings
// the backup's data back while keeping everything saved since (pending changes, the receipt
// counter). Bad restore requests are refused with nothing changed.
import { existsSync, readdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Sqlite from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { openCore } from '../../electron/core/open-core.js';
import type { BackupsOverview, BackupInfo, RestoreResult } from '../../shared/domain/backups.js';
import type { SyncStatus } from '../../shared/domain/sync-status.js';
import type { PaymentView } from '../../shared/domain/payments.js';
import { call, openTestDevice, pullRows, refusal, signInAs, storeCounts, type TestDevice } from '../support/local-device.js';
import { waitFor } from '../support/wait.js';

let device: TestDevice | undefined;
afterEach(async () => {
  await device?.dispose();
  device = undefined;
});

/** The test device reopened with backup settings (its core replaced; dispose still cleans up). */
async function withBackups(d: TestDevice, backups: Parameters<typeof openCore>[0]['backups']): Promise<void> {
  await d.core.close();
  d.core = await openCore({ dataDir: d.dir, startSync: false, backups });
  await signInAs(d.core, 'bursar');
}

async function pay(d: TestDevice, i: number): Promise<PaymentView> {
  return call(d.core, 'payments.record', { studentId: d.students[i % d.students.length]!.id, amountMinor: 1_000 + i, method: 'cash' });
}

function readCopy<T>(file: string, read: (db: Sqlite.Database) => T): T {
  const db = new Sqlite(file, { readonly: true, fileMustExist: true });
  try {
    return read(db);
  } finally {
    db.close();
  }
}

describe('local database backups', () => {
  it('takes a backup when one is due and every interval after, keeping the newest few', { timeout: 30_000 }, async () => {
    device = await openTestDevice({ students: 3 });
    await withBackups(device, { everyHours: 0.4 / 3600, keep: 3, firstCheckAfterMs: 0 });
    const seen = new Set<string>();
    await waitFor('five scheduled backups', async () => {
      for (const n of readdirSync(join(device!.dir, 'backups'))) if (n.endsWith('.sqlite3')) seen.add(n);
      return seen.size >= 5;
    }, 20_000);
    await device.core.backups.stop();
    const overview = await call(device.core, 'backups.list', {});
    expect(overview.keep).toBe(3);
    expect(overview.folder).toBe(join(device.dir, 'backups'));
    // The newest three, newest first; the older ones are gone from the folder.
    expect(overview.rows).toHaveLength(3);
    expect(readdirSync(overview.folder).sort()).toEqual(overview.rows.map((r) => r.name).sort());
    const taken = overview.rows.map((r) => Date.parse(r.takenAt));
    expect(taken).toEqual([...taken].sort((a, b) => b - a));
    const older = [...seen].filter((n) => !overview.rows.some((r) => r.name === n));
    expect(older.length).toBeGreaterThanOrEqual(2);
    for (const n of older) expect(Date.parse(overview.rows[2]!.takenAt)).toBeGreaterThanOrEqual(Date.parse(n.slice(12, 16) + '-' + n.slice(16, 18) + '-' + n.slice(18, 20) + 'T' + n.slice(21, 23) + ':' + n.slice(23, 25) + ':' + n.slice(25, 27) + 'Z'));
    expect(readdirSync(join(device.dir, 'backups')).filter((n) => n.endsWith('.partial'))).toEqual([]);
    for (const row of overview.rows) {
      expect(row.bytes).toBeGreaterThan(0);
      expect(readCopy(join(overview.folder, row.name), (db) => db.pragma('quick_check', { simple: true }))).toBe('ok');
    }
    const status = await call(device.core, 'sync.status', {});
    expect(status.lastBackupAt).toBe(overview.rows[0]!.takenAt);
    expect(overview.lastRecovery).toBeNull();
  });

  it('copies one consistent moment while payments are being recorded', { timeout: 30_000 }, async () => {
    device = await openTestDevice({ students: 5 });
    await withBackups(device, { scheduled: false });
    for (let i = 0; i < 20; i++) await pay(device, i);
    let recording = true;
    let recorded = 20;
    const writer = (async () => {
      while (recording) {
        await pay(device!, recorded++);
        // SQLite calls resolve as microtasks: let the backup's worker be heard between payments.
        await new Promise((resolve) => setImmediate(resolve));
      }
    })();
    const info: BackupInfo = await call(device.core, 'backups.create', {});
    recording = false;
    await writer;
    const copy = readCopy(join(device.dir, 'backups', info.name), (db) => ({
      check: db.pragma('quick_check', { simple: true }),
      journal: db.pragma('journal_mode', { simple: true }),
      payments: db.prepare('select receipt_no from payments order by receipt_no').pluck().all() as string[],
      outbox: db.prepare("select count(*) from outbox where name = 'payments.record'").pluck().get() as number,
      pending: db.prepare('select count(*) from outbox').pluck().get() as number,
      next: db.prepare('select next_receipt_no from device').pluck().get() as number,
    }));
    expect(copy.check).toBe('ok');
    expect(copy.journal).toBe('delete');
    // Every payment with its outbox entry and its number, and the counter right after them.
    expect(copy.payments.length).toBeGreaterThanOrEqual(20);
    expect(copy.outbox).toBe(copy.payments.length);
    expect(info.pending).toBe(copy.pending);
    expect(copy.payments).toEqual(copy.payments.map((_, i) => `TEST-D1-${String(i + 1).padStart(6, '0')}`));
    expect(copy.next).toBe(copy.payments.length + 1);
    console.info(`[backups] copy holds ${copy.payments.length} of ${recorded} payments recorded around it`);
  });

  it('restores a backup: its data back, changes saved since kept and queued, no receipt number issued twice', { timeout: 30_000 }, async () => {
    device = await openTestDevice({ students: 3 });
    await withBackups(device, { scheduled: false });
    const before = await pay(device, 0);
    const student = device.students[1]!;
    const backup: BackupInfo = await call(device.core, 'backups.create', {});
    const pendingAtBackup = storeCounts(device.core).outbox!;
    expect(backup.pending).toBe(pendingAtBackup);
    // After the backup: a payment saved here (pending) and a change pulled from the school.
    const after = await pay(device, 1);
    await pullRows(device.core, 'students', [{ ...student, first_name: 'Renamed' }]);

    await signInAs(device.core, 'administrator');
    const outboxAtRestore = device.core.store.sqlite.prepare('select mutation_id, seq from outbox order by seq').all();
    const result: RestoreResult = await call(device.core, 'backups.restore', { name: backup.name });
    // The payment and the administrator's sign-in, saved since the backup.
    expect(result).toEqual({ restored: backup.name, pendingKept: outboxAtRestore.length - pendingAtBackup });

    // Signed out: the restored staff rows decide who may sign in again.
    expect((await refusal(device.core, 'fees.categories', {})).code).toBe('unauthenticated');
    await signInAs(device.core, 'bursar');
    const student1 = device.core.store.sqlite.prepare('select first_name from students where id = ?').pluck().get(student.id);
    expect(student1).toBe(student.first_name);
    const receipts = device.core.store.sqlite.prepare('select receipt_no from payments order by receipt_no').pluck().all();
    expect(receipts).toEqual([before.receiptNo, after.receiptNo]);
    expect(device.core.store.sqlite.prepare('select mutation_id, seq from outbox order by seq').all().slice(0, outboxAtRestore.length)).toEqual(outboxAtRestore);
    const next = await pay(device, 2);
    expect(next.receiptNo).toBe('TEST-D1-000003');
    expect(readdirSync(join(device.dir, 'replaced')).some((n) => n.startsWith('schoolhouse-before-restore-'))).toBe(true);
    const status: SyncStatus = await call(device.core, 'sync.status', {});
    expect(status.pending).toBe(outboxAtRestore.length + 2); // the bursar's sign-in and payment since
  });

  it('reports a failed backup in the sync status and to the person who asked, with the data untouched', { timeout: 30_000 }, async () => {
    device = await openTestDevice({ students: 2 });
    // The backups folder cannot be made: a file is in its place.
    writeFileSync(join(device.dir, 'backups'), 'in the way');
    await withBackups(device, { scheduled: false });
    await pay(device, 0);
    const counts = storeCounts(device.core);
    const refused = await refusal(device.core, 'backups.create', {});
    expect(refused).toMatchObject({ code: 'unavailable', message: expect.stringMatching(/^The backup at \d\d:\d\d UTC failed: .*Your data is unchanged; the next backup is tried in 4 hours, or use "Back up now"\.$/s) });
    const status: SyncStatus = await call(device.core, 'sync.status', {});
    expect(status).toMatchObject({ lastError: refused.message, lastBackupAt: null });
    expect(status.lastErrorAt).not.toBeNull();
    expect(storeCounts(device.core)).toEqual(counts);
  });

  it('finishes a swap a power cut interrupted: the restored file waiting beside a missing live one is put in place', { timeout: 30_000 }, async () => {
    device = await openTestDevice({ students: 2 });
    await withBackups(device, { scheduled: false });
    const paid = await pay(device, 0);
    await device.core.close();
    const live = join(device.dir, 'schoolhouse.sqlite');
    renameSync(live, `${live}.next`);
    device.core = await openCore({ dataDir: device.dir, startSync: false, backups: { scheduled: false } });
    expect(device.core.recovered).toBeNull();
    expect(device.core.store.sqlite.prepare('select receipt_no from payments').pluck().all()).toEqual([paid.receiptNo]);
    expect(existsSync(`${live}.next`)).toBe(false);
  });

  it('refuses a bad restore request and changes nothing', { timeout: 30_000 }, async () => {
    device = await openTestDevice({ students: 2 });
    await withBackups(device, { scheduled: false });
    await pay(device, 0);
    const good: BackupInfo = await call(device.core, 'backups.create', {});
    await pay(device, 1);

    // A bursar may back up but not restore.
    const forbidden = await refusal(device.core, 'backups.restore', { name: good.name });
    expect(forbidden.code).toBe('forbidden');
    await signInAs(device.core, 'administrator');
    const counts = storeCounts(device.core);
    for (const name of ['../schoolhouse.sqlite', '..\\schoolhouse.sqlite', '/etc/passwd', 'schoolhouse-20260101T000000Z.sqlite3/../../x', '']) {
      const bad = await refusal(device.core, 'backups.restore', { name });
      expect(bad.code).toBe('invalid_input');
      expect(bad.message).toMatch(/Choose a backup from the list/);
    }
    const unknown = await refusal(device.core, 'backups.restore', { name: 'schoolhouse-20200101T000000Z.sqlite3' });
    expect(unknown).toMatchObject({ code: 'not_found', message: expect.stringMatching(/no backup named schoolhouse-20200101T000000Z.sqlite3/) });
    // A damaged backup is refused before anything is touched.
    const damaged = join(device.dir, 'backups', 'schoolhouse-20200101T000001Z.sqlite3');
    writeFileSync(damaged, Buffer.concat([Buffer.from('not a database at all'), readFileSync(join(device.dir, 'backups', good.name)).subarray(21)]));
    const refused = await refusal(device.core, 'backups.restore', { name: 'schoolhouse-20200101T000001Z.sqlite3' });
    expect(refused).toMatchObject({ code: 'conflict', message: expect.stringMatching(/is damaged .*not restored. Choose an older backup/) });

    expect(storeCounts(device.core)).toEqual(counts);
    expect(existsSync(join(device.dir, 'replaced'))).toBe(false);
    const list: BackupsOverview = await call(device.core, 'backups.list', {});
    expect(list.rows.map((r) => r.name)).toContain(good.name);
  });
});
