// The school office across real devices and a real server (both backends): two offices edit the
// same student offline (different fields, and one field both) and end with the same merged row,
// the clash raised as one conflict that both devices receive; a register marked on two devices
// converges; a save the server refuses (a score above the maximum) lands in "needs attention"
// with the reason, and the device's row goes back to the server's copy.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Core } from '../../electron/core/open-core.js';
import { saveRecords, type RecordSave } from '../../electron/core/commands/save-records.js';
import { decodeRow } from '../../electron/core/sync/row-codecs.js';
import { attendanceRecordId, attendanceSessionId } from '../../shared/domain/attendance.js';
import { schoolDate } from '../../shared/domain/ledger-math.js';
import type { EditableTable } from '../../shared/sync/editable.js';
import type { SyncStatus } from '../../shared/domain/sync-status.js';
import { DEMO_SCHOOL, DEMO_STAFF } from '../../sync-server/src/demo/seed-demo.js';
import { loadWireRows } from '../../sync-server/src/records/wire.js';
import { startSyncServer, type RunningSyncServer } from '../../sync-server/src/start.js';
import { call, Fleet } from '../support/fleet.js';
import { BACKENDS, backendSkipped, freshBackend, type BackendConfig } from '../support/sync-server.js';
import { waitFor } from '../support/wait.js';
import { canonical } from '../support/canonical-json.js';

const STUDENTS = 40;

/** Saves on a device the way every editable change is made, as `authorId`. */
async function save<T extends EditableTable>(core: Core, table: T, saves: RecordSave<T>[], authorId: string): Promise<void> {
  await core.store.db.transaction().execute((tx) => saveRecords(tx, table, saves, authorId));
}

/** A device's copy of rows, in their wire shape. */
function deviceRows(core: Core, table: EditableTable | 'record_conflicts', where = '1 = 1', ...params: unknown[]): Record<string, unknown>[] {
  const rows = core.store.sqlite.prepare(`select * from ${table} where ${where} order by id`).all(...params) as Record<string, unknown>[];
  return rows.map((r) => decodeRow(table, r));
}

const byId = <T>(rows: T[]) => [...rows].sort((a, b) => (String((a as { id: string }).id) < String((b as { id: string }).id) ? -1 : 1));

describe.each(BACKENDS)('the school office across devices on %s', (kind) => {
  if (backendSkipped(kind)) return;

  let backend: BackendConfig;
  let server: RunningSyncServer;
  const fleet = new Fleet(() => server);
  let front: Core;
  let back: Core;

  const settled = (core: Core) => waitFor('the outbox to empty', async () => (await call<SyncStatus>(core, 'sync.status')).pending === 0, 30_000);
  const serverRows = async (table: EditableTable, ids: string[]) => {
    const rows = await loadWireRows(server.db.db, DEMO_SCHOOL.id, table, ids);
    return ids.map((id) => rows.get(id));
  };
  const serverConflicts = (rowId: string) => server.db.db.selectFrom('record_conflicts').selectAll().where('row_id', '=', rowId).orderBy('id').execute();

  /** Takes both offices offline, runs `offline`, then syncs the front office first. */
  async function offlineThenSync(offline: () => Promise<void>): Promise<void> {
    await Promise.all([front.sync.stop(), back.sync.stop()]);
    await offline();
    front.sync.start();
    await settled(front);
    back.sync.start();
    await settled(back);
    await call(front, 'sync.now');
  }

  beforeAll(async () => {
    backend = await freshBackend(kind);
    server = await startSyncServer({ port: 0, ...(backend.databaseUrl ? { databaseUrl: backend.databaseUrl } : {}), seedDemo: { students: STUDENTS }, liveTimeoutMs: 1000 });
    const scores = (await server.db.db.selectFrom('scores').select('id').execute()).length;
    [front, back] = [await fleet.enrol('Front office'), await fleet.enrol('Back office')];
    for (const core of [front, back]) {
      await waitFor('initial sync', async () => core.store.sqlite.prepare('select count(*) from scores').pluck().get() === scores, 60_000);
      await call(core, 'auth.login', { username: DEMO_STAFF.admin.username, password: DEMO_STAFF.admin.password });
    }
  }, 120_000);

  afterAll(async () => {
    await fleet.closeAll();
    await server?.close();
    await backend?.drop();
  });

  it('two offices edit one student offline: the fields merge, and the field both changed is one conflict on both devices', async () => {
    const id = String(front.store.sqlite.prepare("select id from students where status = 'enrolled' order by admission_no limit 1").pluck().get());
    const [original] = await serverRows('students', [id]);
    const otherClass = String(front.store.sqlite.prepare('select id from classes where id <> ? order by name limit 1').pluck().get(original!.class_id));

    await offlineThenSync(async () => {
      await save(front, 'students', [{ id, values: { first_name: 'Wanjiku', medical_notes: 'Asthma: inhaler in the office.' } }], DEMO_STAFF.admin.id);
      await save(back, 'students', [{ id, values: { class_id: otherClass, medical_notes: 'Allergic to penicillin.' } }], DEMO_STAFF.admin.id);
    });

    const [merged] = await serverRows('students', [id]);
    const otherClassName = front.store.sqlite.prepare('select name from classes where id = ?').pluck().get(otherClass);
    expect(merged).toMatchObject({
      first_name: 'Wanjiku',
      last_name: original!.last_name,
      class_id: otherClass,
      class_name: otherClassName,
      // Both changed it: the later write in server order (the back office's) is kept.
      medical_notes: 'Allergic to penicillin.',
    });
    await waitFor('both devices to hold the merged row', async () => [front, back].every((d) => canonical(deviceRows(d, 'students', 'id = ?', id)) === canonical([merged])));

    const conflicts = await serverConflicts(id);
    expect(conflicts).toHaveLength(1);
    expect(conflicts[0]).toMatchObject({
      kind: 'overwritten',
      table_name: 'students',
      field: 'medical_notes',
      kept_value: JSON.stringify('Allergic to penicillin.'),
      lost_value: JSON.stringify('Asthma: inhaler in the office.'),
      kept_device: back.device.device_id,
      lost_device: front.device.device_id,
      resolution: null,
    });
    await waitFor('the conflict to reach both devices', async () =>
      [front, back].every((d) => {
        const local = deviceRows(d, 'record_conflicts', 'row_id = ?', id);
        return local.length === 1 && local[0]!.id === conflicts[0]!.id && local[0]!.field === 'medical_notes';
      }),
    );
  }, 60_000);

  it('a register marked on two devices converges: the later mark of a child stands, the overwritten one is a conflict', async () => {
    const klass = front.store.sqlite.prepare('select id from classes order by name limit 1').get() as { id: string };
    const pupils = front.store.sqlite.prepare("select id from students where class_id = ? and status = 'enrolled' order by id").pluck().all(klass.id) as string[];
    expect(pupils.length).toBeGreaterThanOrEqual(2);
    // Today's register: the demo leaves it for someone to take.
    const date = schoolDate(new Date(), DEMO_SCHOOL.timeZone);
    const session = attendanceSessionId(klass.id, date, '');
    const [absentee, late] = pupils;
    const takeRegister = async (core: Core, author: string, marks: Record<string, 'absent' | 'late'>) => {
      await save(core, 'attendance_sessions', [{ id: session, values: { class_id: klass.id, date, period: '', taken_by: author, note: '' } }], author);
      const records = pupils.map((p) => ({
        id: attendanceRecordId(session, p),
        values: { session_id: session, student_id: p, status: marks[p] ?? ('present' as const), reason: marks[p] === 'absent' ? 'Sick (parent called).' : null },
      }));
      await save(core, 'attendance_records', records, author);
    };

    // The head teacher (front office) and the class teacher (back office) both take it.
    await offlineThenSync(async () => {
      await takeRegister(front, DEMO_STAFF.admin.id, { [late!]: 'late' });
      await takeRegister(back, DEMO_STAFF.teacher.id, { [absentee!]: 'absent' });
    });

    const ids = pupils.map((p) => attendanceRecordId(session, p));
    const onServer = await serverRows('attendance_records', ids);
    expect(onServer.every((r) => r !== undefined)).toBe(true);
    expect(onServer.map((r) => r!.status)).toEqual(pupils.map((p) => (p === absentee ? 'absent' : 'present')));
    await waitFor('both devices to hold the server register', async () =>
      [front, back].every((d) => canonical(deviceRows(d, 'attendance_records', 'session_id = ?', session)) === canonical(byId(onServer))),
    );
    // The head teacher's "late" was overwritten by another person: kept for review.
    const lateConflicts = (await serverConflicts(attendanceRecordId(session, late!))).filter((c) => c.field === 'status');
    expect(lateConflicts).toHaveLength(1);
    expect(lateConflicts[0]).toMatchObject({ lost_value: '"late"', kept_value: '"present"', lost_by: DEMO_STAFF.admin.id, kept_by: DEMO_STAFF.teacher.id });
    await waitFor('the conflict to reach both devices', async () => [front, back].every((d) => deviceRows(d, 'record_conflicts', 'id = ?', lateConflicts[0]!.id).length === 1));
  }, 60_000);

  it('a score above the maximum is refused: it waits in "needs attention" with the reason, and the device shows the server\'s score again', async () => {
    const score = front.store.sqlite
      .prepare("select s.id, s.score, a.max_score, a.name from scores s join assessments a on a.id = s.assessment_id where a.name = 'CAT 1' and s.score is not null order by s.id limit 1")
      .get() as { id: string; score: number; max_score: number; name: string };
    const [before] = await serverRows('scores', [score.id]);
    await front.sync.stop();
    await save(front, 'scores', [{ id: score.id, values: { score: score.max_score + 5 } }], DEMO_STAFF.teacher.id);
    expect(deviceRows(front, 'scores', 'id = ?', score.id)[0]!.score).toBe(score.max_score + 5);

    front.sync.start();
    await settled(front);
    const status = await call<SyncStatus>(front, 'sync.status');
    expect(status.needsAttention).toBe(1);
    const parked = front.store.sqlite.prepare('select name, reason from needs_attention').all() as { name: string; reason: string }[];
    expect(parked).toHaveLength(1);
    expect(parked[0]!.name).toBe('scores.save');
    expect(parked[0]!.reason).toContain(`is above its maximum of ${score.max_score}`);
    expect(parked[0]!.reason).toContain(score.name);
    // The device's row is the server's copy again; the server's never changed.
    expect(deviceRows(front, 'scores', 'id = ?', score.id)).toEqual([before]);
    expect(await serverRows('scores', [score.id])).toEqual([before]);
  }, 60_000);
});
