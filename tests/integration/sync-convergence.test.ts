// Issue 6's proof: the whole school's sync, as a seeded property. Four real devices (three office
// computers and a staff-room one, real cores on real SQLite files) enrolled with a real sync
// server on PostgreSQL do random work: payments (some spread over charges) and voids by the
// bursar; edits of the same students' same and different fields; guardians linked and unlinked
// and events created, edited and deleted (tombstones) by the administrator; registers marked by
// different teachers on different devices. Meanwhile every device's network drops, delays,
// duplicates, reorders pushes and loses answers (tests/support/faulty-network.ts), devices go
// offline for a while, the server restarts in the middle of a push, and a device loses power
// inside a transaction (a command's, a page of pulled changes', its outbox being settled) and
// starts again from what was on disk (tests/support/power-cut.ts).
//
// After healing (everyone online, no faults, synced until quiet): every device holds exactly the
// server's rows of its profile's tables (tombstones included); every command that returned was
// applied by the server; every payment exists once with a unique receipt number; every device
// shows the server's balance for every student; and the conflict log holds exactly the
// overwritten values the server's history says it must (tests/support/conflict-oracle.ts).
// SYNC_SEED=<n> replays a run (SYNC_RUNS sets how many).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { sql } from 'kysely';
import { openCore, type Core } from '../../electron/core/open-core.js';
import { decodeRow } from '../../electron/core/sync/row-codecs.js';
import { startSyncServer, type RunningSyncServer } from '../../sync-server/src/start.js';
import { DEMO_SCHOOL, DEMO_STAFF } from '../../sync-server/src/demo/seed-demo.js';
import { DEMO_TEACHER_PASSWORD } from '../../sync-server/src/demo/office-staff.js';
import { mulberry32 } from '../../sync-server/src/demo/prng.js';
import { readChanges } from '../../sync-server/src/shape/read-changes.js';
import { PROFILE_TABLES, type MutationEnvelope, type SyncedTable } from '../../shared/sync/protocol.js';
import { EDITABLE_TABLES } from '../../shared/sync/editable.js';
import { ATTENDANCE_STATUSES, type AttendanceStatus } from '../../shared/domain/attendance.js';
import { GENDERS, type StudentFields } from '../../shared/domain/students.js';
import type { Statement } from '../../shared/domain/fees.js';
import type { PaymentView } from '../../shared/domain/payments.js';
import type { StudentProfile } from '../../shared/domain/student-views.js';
import type { EventView } from '../../shared/domain/calendar-views.js';
import type { SyncStatus } from '../../shared/domain/sync-status.js';
import type { SessionUser } from '../../shared/domain/staff.js';
import { backendSkipped, freshBackend, type BackendConfig } from '../support/sync-server.js';
import { call, FAST_SYNC, Fleet } from '../support/fleet.js';
import { FaultyNetwork, newFaultCounts } from '../support/faulty-network.js';
import { armPowerCut } from '../support/power-cut.js';
import { checkConflictLog } from '../support/conflict-oracle.js';
import { waitFor } from '../support/wait.js';
import { canonical } from '../support/canonical-json.js';

const SEED = Number(process.env.SYNC_SEED ?? 20261122);
const RUNS = Number(process.env.SYNC_RUNS ?? 6);
const STUDENTS = 12;
/** Students whose fields the offices edit, and students marked per register: few, so that
 * offline devices often write the same field of the same record. */
const EDITED = 2;
const MARKED = 2;

type User = 'admin' | 'bursar' | 'teacher' | 'kiprop';
const CREDENTIALS: Record<User, { username: string; password: string }> = {
  admin: DEMO_STAFF.admin,
  bursar: DEMO_STAFF.bursar,
  teacher: DEMO_STAFF.teacher,
  kiprop: { username: 'kiprop', password: DEMO_TEACHER_PASSWORD },
};
const DEVICES = [
  { name: 'Front office', teacherRoom: false, users: ['admin', 'bursar', 'teacher', 'kiprop'] },
  { name: 'Back office', teacherRoom: false, users: ['admin', 'bursar', 'teacher', 'kiprop'] },
  { name: 'Gate office', teacherRoom: false, users: ['admin', 'bursar', 'teacher', 'kiprop'] },
  { name: 'Staff room', teacherRoom: true, users: ['teacher', 'kiprop'] },
] as const satisfies readonly { name: string; teacherRoom: boolean; users: readonly User[] }[];
const MARKERS: readonly User[] = ['teacher', 'kiprop', 'admin'];

type EditField = 'first_name' | 'middle_name' | 'last_name' | 'medical_notes' | 'gender';

type Op =
  | { kind: 'pay'; device: number; student: number; amountMinor: number; spread: boolean }
  | { kind: 'void'; device: number; pick: number }
  | { kind: 'edit'; device: number; student: number; field: EditField; pick: number }
  | { kind: 'move'; device: number; register: number; pick: number }
  | { kind: 'link'; device: number; student: number; existing: boolean; pick: number }
  | { kind: 'unlink'; device: number; pick: number }
  | { kind: 'event'; device: number; action: 'create' | 'edit' | 'delete'; pick: number }
  | { kind: 'mark'; device: number; marker: number; register: number; pick: number; status: AttendanceStatus }
  | { kind: 'partition'; device: number; offline: boolean }
  | { kind: 'sync'; device: number }
  | { kind: 'pause'; ms: number }
  | { kind: 'restart' }
  | { kind: 'crash'; device: number; student: number; field: EditField };

/** Where a power cut lands, taken in turn so that every run of the test has each one. */
const CUTS = ['pay', 'edit', 'pull', 'settle'] as const;
type Cut = (typeof CUTS)[number];

const office = fc.nat(2);
const anyDevice = fc.nat(DEVICES.length - 1);
const editField: fc.Arbitrary<EditField> = fc.oneof(
  { weight: 3, arbitrary: fc.constant('first_name' as const) },
  { weight: 3, arbitrary: fc.constant('medical_notes' as const) },
  { weight: 1, arbitrary: fc.constantFrom<EditField>('middle_name', 'last_name', 'gender') },
);
const opArb: fc.Arbitrary<Op> = fc.oneof(
  { weight: 5, arbitrary: fc.record({ kind: fc.constant('pay' as const), device: office, student: fc.nat(STUDENTS - 1), amountMinor: fc.integer({ min: 1, max: 300 }).map((n) => n * 1_000), spread: fc.boolean() }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('void' as const), device: office, pick: fc.nat() }) },
  { weight: 6, arbitrary: fc.record({ kind: fc.constant('edit' as const), device: office, student: fc.nat(EDITED - 1), field: editField, pick: fc.nat() }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('move' as const), device: office, register: fc.nat(3), pick: fc.nat() }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('link' as const), device: office, student: fc.nat(EDITED - 1), existing: fc.boolean(), pick: fc.nat() }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('unlink' as const), device: office, pick: fc.nat() }) },
  { weight: 3, arbitrary: fc.record({ kind: fc.constant('event' as const), device: office, action: fc.constantFrom('create' as const, 'edit' as const, 'delete' as const), pick: fc.nat() }) },
  { weight: 5, arbitrary: fc.record({ kind: fc.constant('mark' as const), device: anyDevice, marker: fc.nat(MARKERS.length - 1), register: fc.nat(3), pick: fc.nat(), status: fc.constantFrom(...ATTENDANCE_STATUSES) }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('partition' as const), device: anyDevice, offline: fc.boolean() }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('sync' as const), device: anyDevice }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('pause' as const), ms: fc.integer({ min: 50, max: 400 }) }) },
  { weight: 1, arbitrary: fc.constant({ kind: 'restart' as const }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('crash' as const), device: office, student: fc.nat(EDITED - 1), field: editField }) },
);

const daysAgo = (n: number) => new Date(Date.now() - n * 86_400_000).toISOString().slice(0, 10);

const counts = newFaultCounts();
const exercised = {
  runs: 0,
  ops: {} as Record<string, number>,
  opMs: {} as Record<string, number>,
  refusedOnDevice: 0,
  restartsMidPush: 0,
  restartsIdle: 0,
  powerCuts: { pay: 0, edit: 0, pull: 0, settle: 0 },
  partitions: 0,
  returnedMutations: 0,
  overwrites: 0,
  concurrentOverwrites: 0,
  conflicts: 0,
  rejectedByServer: 0,
};

interface Device {
  core: Core;
  net: FaultyNetwork;
  user: User | null;
  sessions: Map<User, SessionUser>;
}

describe('the whole school syncs through faults, restarts and power cuts (property)', () => {
  if (backendSkipped('postgres')) return;

  let backend: BackendConfig;
  let server: RunningSyncServer;
  const fleet = new Fleet(() => server);
  const devices: Device[] = [];
  const scratch: string[] = [];
  /** Every mutation pushed, as it went over the wire (for the conflict oracle). */
  const sent = new Map<string, MutationEnvelope>();
  /** Mutations whose command returned success: by id, the device that made it. */
  const returned = new Map<string, number>();
  const paymentsReturned: string[] = [];
  let students: string[] = [];
  let registers: { classId: string; date: string; students: string[] }[] = [];
  let random: () => number = mulberry32(SEED);
  let run = 0;
  let cutTurn = 0;

  // Staff switch on the shared computers all the time here: far more sign-ins than a person makes.
  const serverOptions = () => ({ databaseUrl: backend.databaseUrl!, liveTimeoutMs: 1000, loginRateLimit: { max: 100_000, timeWindowMs: 60_000 } });

  // ---- the server restarting under a push ------------------------------------------------
  let restartWhenPushed: (() => void) | null = null;
  async function restartServer(): Promise<void> {
    const port = server.port;
    await server.close();
    server = await startSyncServer({ port, ...serverOptions() });
  }
  function onPushLeaving(): void {
    const trigger = restartWhenPushed;
    if (!trigger) return;
    restartWhenPushed = null;
    // The push is on its way: the server starts closing while it is in flight.
    setTimeout(trigger, Math.floor(random() * 15));
  }

  function network(): FaultyNetwork {
    return new FaultyNetwork({
      random: () => random(),
      counts,
      onPush: (mutations) => {
        for (const m of mutations) sent.set(m.id, m);
      },
      onPushLeaving,
    });
  }

  /** Makes `user` the one at the keyboard. The first time on a device (and after a power cut)
   * that is a real sign-in; later switches start the session that sign-in gave (the sign-in is
   * not what this test is about, and two scrypt hashes per switch were most of a run's time). */
  async function signIn(d: Device, user: User): Promise<void> {
    if (d.user === user) return;
    const known = d.sessions.get(user);
    if (known) d.core.session.start(known, { offline: true });
    else {
      await call(d.core, 'auth.login', CREDENTIALS[user]);
      d.sessions.set(user, (await d.core.session.user())!);
    }
    d.user = user;
  }

  beforeAll(async () => {
    backend = await freshBackend('postgres');
    server = await startSyncServer({ port: 0, ...serverOptions(), seedDemo: { students: STUDENTS } });
    for (const spec of DEVICES) {
      const net = network();
      net.faulty = false;
      const core = await fleet.enrol(spec.name, { fetch: net.fetch, ...(spec.teacherRoom ? { code: DEMO_SCHOOL.teacherEnrolmentCode } : {}) });
      await waitFor(`${spec.name}: initial sync`, async () => core.store.sqlite.prepare('select count(*) from students').pluck().get() === STUDENTS, 60_000);
      const d: Device = { core, net, user: null, sessions: new Map() };
      // Everyone signs in once online, so each can sign in again on this computer offline.
      for (const u of spec.users) {
        d.user = null;
        await signIn(d, u);
      }
      devices.push(d);
    }
    const db = devices[0]!.core.store.sqlite;
    students = db.prepare('select id from students order by admission_no limit ?').pluck().all(EDITED) as string[];
    const classes = db.prepare('select class_id from students where class_id is not null group by class_id having count(*) >= 2 order by class_id limit 2').pluck().all() as string[];
    expect(classes).toHaveLength(2);
    registers = classes.flatMap((classId) =>
      [daysAgo(2), daysAgo(3)].map((date) => ({ classId, date, students: db.prepare('select id from students where class_id = ? order by id').pluck().all(classId) as string[] })),
    );
  }, 180_000);

  afterAll(async () => {
    for (const d of devices) await d.net.flush();
    await fleet.closeAll();
    await server?.close();
    await backend?.drop();
    for (const dir of scratch) rmSync(dir, { recursive: true, force: true });
  });

  // ---- doing the work --------------------------------------------------------------------

  /** The mutations appended to a device's outbox, in order, seen by a TEMP trigger as they are
   * written (the push loop may remove one before the command's caller could look). */
  const queuedOn = new WeakMap<Core, string[]>();
  function queued(core: Core): string[] {
    let list = queuedOn.get(core);
    if (!list) {
      const ids: string[] = [];
      core.store.sqlite.function('test_queued', (id: unknown) => ids.push(String(id)));
      core.store.sqlite.exec('create temp trigger test_queued after insert on main.outbox begin select test_queued(new.mutation_id); end;');
      queuedOn.set(core, ids);
      list = ids;
    }
    return list;
  }

  /** Runs one command; a mutation it queued counts as returned only when it succeeded. */
  async function command<T>(i: number, user: User, method: string, input: unknown): Promise<T | undefined> {
    const d = devices[i]!;
    await signIn(d, user);
    const list = queued(d.core);
    const before = list.length;
    const reply = await d.core.dispatch(method, input);
    if (!reply.ok) {
      // Refused on the device (a void of a payment it voided, a link already removed): nothing
      // was saved, which the final comparison checks.
      exercised.refusedOnDevice++;
      return undefined;
    }
    for (const id of list.slice(before)) returned.set(id, i);
    return reply.value as T;
  }

  function studentValuesFor(op: { field: EditField; pick: number }, i: number): Partial<StudentFields> {
    if (op.field === 'gender') return { gender: GENDERS[op.pick % GENDERS.length]! };
    // A value never written before, so the edit really changes the field.
    return { [op.field]: `Ed ${run}-${i}` };
  }

  /** A text field: its new value is one never written, so the edit is sure to change something. */
  const alwaysChanges = (field: EditField): EditField => (field === 'gender' ? 'medical_notes' : field);

  async function editStudent(device: number, studentId: string, values: Partial<StudentFields>): Promise<void> {
    await signIn(devices[device]!, 'admin');
    const profile = await call<StudentProfile>(devices[device]!.core, 'students.profile', { id: studentId });
    await command(device, 'admin', 'students.save', { id: studentId, values: { ...profile.values, ...values } });
  }

  async function perform(op: Op, i: number): Promise<void> {
    exercised.ops[op.kind] = (exercised.ops[op.kind] ?? 0) + 1;
    switch (op.kind) {
      case 'pay': {
        const core = devices[op.device]!.core;
        const studentId = (core.store.sqlite.prepare('select id from students order by admission_no').pluck().all() as string[])[op.student]!;
        let allocations: { chargeId: string; amountMinor: number }[] | undefined;
        if (op.spread) {
          await signIn(devices[op.device]!, 'bursar');
          // Against the newest open charges first, instead of the default oldest first.
          const open = (await call<Statement>(core, 'students.statement', { studentId })).openCharges.slice().reverse();
          let left = op.amountMinor;
          allocations = [];
          for (const c of open) {
            if (left === 0) break;
            const part = Math.min(left, c.outstandingMinor);
            allocations.push({ chargeId: c.chargeId, amountMinor: part });
            left -= part;
          }
        }
        const p = await command<PaymentView>(op.device, 'bursar', 'payments.record', { studentId, amountMinor: op.amountMinor, ...(allocations ? { allocations } : {}) });
        if (p) paymentsReturned.push(p.id);
        return;
      }
      case 'void': {
        const ids = devices[op.device]!.core.store.sqlite.prepare('select id from payments where id not in (select target_id from voids) order by id').pluck().all() as string[];
        if (ids.length === 0) return;
        await command(op.device, 'bursar', 'ledger.void', { targetTable: 'payments', targetId: ids[op.pick % ids.length], reason: 'Entered twice' });
        return;
      }
      case 'edit':
        return editStudent(op.device, students[op.student]!, studentValuesFor(op, i));
      case 'move': {
        // A student marked in registers moves to the other class: marks made elsewhere in the
        // old class meanwhile are refused by the server and wait in "needs attention".
        const r = registers[op.register]!;
        const other = registers.find((x) => x.classId !== r.classId)!;
        return editStudent(op.device, r.students[op.pick % Math.min(MARKED, r.students.length)]!, { class_id: other.classId });
      }
      case 'link': {
        const sqlite = devices[op.device]!.core.store.sqlite;
        const guardians = sqlite.prepare('select id from guardians where deleted = 0 order by id').pluck().all() as string[];
        const studentId = students[op.student]!;
        const input =
          op.existing && guardians.length > 0
            ? { studentId, guardianId: guardians[op.pick % guardians.length], relationship: 'Aunt', paysFees: op.pick % 2 === 0 }
            : { studentId, details: { name: `Guardian ${run}-${i}`, phone: `07${String(10_000_000 + run * 1000 + i).slice(-8)}`, alt_phone: null, email: null, address: null }, relationship: 'Mother', paysFees: true };
        await command(op.device, 'admin', 'guardians.link', input);
        return;
      }
      case 'unlink': {
        const links = devices[op.device]!.core.store.sqlite.prepare('select student_id, guardian_id from student_guardians where deleted = 0 order by id').all() as { student_id: string; guardian_id: string }[];
        if (links.length === 0) return;
        const l = links[op.pick % links.length]!;
        await command(op.device, 'admin', 'guardians.unlink', { studentId: l.student_id, guardianId: l.guardian_id });
        return;
      }
      case 'event': {
        const events = devices[op.device]!.core.store.sqlite.prepare('select * from events where deleted = 0 order by id').all() as Record<string, unknown>[];
        const target = events.length > 0 ? events[op.pick % events.length]! : undefined;
        if (op.action === 'create' || !target) {
          await command<EventView>(op.device, 'admin', 'events.save', { title: `Meeting ${run}-${i}`, type: 'meeting', startsOn: daysAgo(-7), endsOn: daysAgo(-7) });
        } else if (op.action === 'edit') {
          await command(op.device, 'admin', 'events.save', {
            id: target.id,
            title: `Renamed ${run}-${i}`,
            type: target.type,
            startsOn: target.starts_on,
            endsOn: target.ends_on,
            startTime: target.start_time,
            endTime: target.end_time,
            location: `Hall ${op.pick % 3}`,
            description: target.description,
            classId: target.class_id,
          });
        } else {
          await command(op.device, 'admin', 'events.delete', { id: target.id });
        }
        return;
      }
      case 'mark': {
        const r = registers[op.register]!;
        const marker = DEVICES[op.device]!.teacherRoom && MARKERS[op.marker] === 'admin' ? 'teacher' : MARKERS[op.marker]!;
        const studentId = r.students[op.pick % Math.min(MARKED, r.students.length)]!;
        const mark = { studentId, status: op.status, reason: op.status === 'excused' ? `Sick (${run}-${i})` : null };
        await command(op.device, marker, 'attendance.save', { classId: r.classId, date: r.date, period: '', marks: [mark] });
        return;
      }
      case 'partition':
        devices[op.device]!.net.offline = op.offline;
        if (op.offline) exercised.partitions++;
        return;
      case 'sync':
        await devices[op.device]!.core.dispatch('sync.now', {});
        return;
      case 'pause':
        await new Promise((r) => setTimeout(r, op.ms));
        return;
      case 'restart':
        return restartUnderPush(i);
      case 'crash':
        return powerCut({ ...op, what: CUTS[cutTurn++ % CUTS.length]! }, i);
    }
  }

  /** Restarts the server while a push is in flight: a payment on an office device that can reach
   * the server makes one; with none online the restart happens with nothing in flight. */
  async function restartUnderPush(i: number): Promise<void> {
    const online = [0, 1, 2].find((d) => !devices[d]!.net.offline);
    let underPush = false;
    let gaveUp: ReturnType<typeof setTimeout> | undefined;
    const restarted = new Promise<void>((resolve, reject) => {
      let fired = false;
      const go = (pushing: boolean) => {
        if (fired) return;
        fired = true;
        restartWhenPushed = null;
        underPush = pushing;
        restartServer().then(resolve, reject);
      };
      restartWhenPushed = () => go(true);
      gaveUp = setTimeout(() => go(false), 2_000);
    });
    if (online !== undefined) {
      const p = await command<PaymentView>(online, 'bursar', 'payments.record', { studentId: students[i % EDITED]!, amountMinor: 5_000 });
      if (p) paymentsReturned.push(p.id);
    }
    await restarted;
    clearTimeout(gaveUp);
    if (underPush) exercised.restartsMidPush++;
    else exercised.restartsIdle++;
  }

  /** The device loses power inside a transaction and starts again from its files: a command's,
   * a page of pulled changes being stored, or the outbox being settled from the server's answer. */
  async function powerCut(op: Extract<Op, { kind: 'crash' }> & { what: Cut }, i: number): Promise<void> {
    if (op.what === 'pull' || op.what === 'settle') return powerCutWhileSyncing(op, i);
    const d = devices[op.device]!;
    const user: User = op.what === 'pay' ? 'bursar' : 'admin';
    await signIn(d, user);
    // Its sync stops first: what is on the wire when the power goes is not this case's subject
    // (the faulty network and the other cases cover it); the command's transaction is.
    await d.core.sync.stop();
    const studentId = students[op.student]!;
    const sqlite = d.core.store.sqlite;
    const before = {
      student: canonical(sqlite.prepare('select * from students where id = ?').get(studentId)),
      receipt: sqlite.prepare('select next_receipt_no from device').pluck().get(),
      outbox: sqlite.prepare('select mutation_id from outbox order by seq').pluck().all(),
      payments: sqlite.prepare('select count(*) from payments').pluck().get(),
    };
    const copyDir = mkdtempSync(join(tmpdir(), 'schoolhouse-power-cut-'));
    const cut = armPowerCut(d.core, fleet.dirOf(d.core), copyDir, op.what === 'pay' ? { table: 'payments', op: 'insert' } : { table: 'students', op: 'update', when: `new.id = '${studentId}'` });
    const reply =
      op.what === 'pay'
        ? await d.core.dispatch('payments.record', { studentId, amountMinor: 7_000 })
        : await d.core.dispatch('students.save', { id: studentId, values: { ...(await call<StudentProfile>(d.core, 'students.profile', { id: studentId })).values, ...studentValuesFor({ field: alwaysChanges(op.field), pick: i }, i) } });
    cut.disarm();
    expect(cut.happened, 'the command reached its last write').toBe(true);
    exercised.powerCuts[op.what]++;
    expect(reply.ok, 'a command cut off by the power never returns success').toBe(false);
    expect(cut.queued, 'the command had queued its mutation when the power went').not.toBeNull();

    const after = await restartFrom(d, copyDir, user);
    // Neither half of the cut command: no outbox entry, no row, no receipt number taken.
    expect(after.prepare('select count(*) from outbox where mutation_id = ?').pluck().get(cut.queued!.mutationId)).toBe(0);
    expect(after.prepare('select mutation_id from outbox order by seq').pluck().all()).toEqual(before.outbox);
    expect(canonical(after.prepare('select * from students where id = ?').get(studentId))).toBe(before.student);
    expect(after.prepare('select next_receipt_no from device').pluck().get()).toBe(before.receipt);
    expect(after.prepare('select count(*) from payments').pluck().get()).toBe(before.payments);
    if (op.what === 'pay') expect(after.prepare('select count(*) from payments where id = ?').pluck().get((cut.queued!.args as { id: string }).id)).toBe(0);
    await backAtWork(d, user);
  }

  /** The power goes while the device stores pulled changes (an edit made on another office
   * brings some) or settles its outbox after the server applied a push (a payment of its own
   * makes one): it starts again at the offset and with the outbox it had before. */
  async function powerCutWhileSyncing(op: Extract<Op, { kind: 'crash' }> & { what: Cut }, i: number): Promise<void> {
    const d = devices[op.device]!;
    d.net.offline = false;
    const copyDir = mkdtempSync(join(tmpdir(), 'schoolhouse-power-cut-'));
    const cut = armPowerCut(
      d.core,
      fleet.dirOf(d.core),
      copyDir,
      op.what === 'pull' ? { table: 'sync_state', op: 'update', when: 'new.shape_offset is not old.shape_offset' } : { table: 'outbox', op: 'delete' },
    );
    if (op.what === 'pull') {
      const other = (op.device + 1) % 3;
      devices[other]!.net.offline = false;
      await editStudent(other, students[op.student]!, studentValuesFor({ field: alwaysChanges(op.field), pick: i }, i));
    } else {
      const p = await command<PaymentView>(op.device, 'bursar', 'payments.record', { studentId: students[op.student]!, amountMinor: 3_000 });
      if (p) paymentsReturned.push(p.id);
    }
    await waitFor(`the power cut while ${op.what === 'pull' ? 'pulling' : 'settling'}`, async () => cut.happened, 5_000).catch(() => undefined);
    cut.disarm();
    if (!cut.happened) {
      // The faults (or a busy machine) kept the change or the answer away past the wait.
      rmSync(copyDir, { recursive: true, force: true });
      return;
    }
    exercised.powerCuts[op.what]++;
    const user = d.user ?? 'bursar';
    await restartFrom(d, copyDir, user);
    await backAtWork(d, user);
  }

  /** The device starts again from the files in `dir` (the old process is gone), not yet syncing. */
  async function restartFrom(d: Device, dir: string, user: User): Promise<Core['store']['sqlite']> {
    const core = await openCore({ dataDir: dir, sync: { ...FAST_SYNC, fetch: d.net.fetch }, startSync: false });
    await fleet.replace(d.core, core, dir);
    d.core = core;
    d.user = null;
    d.sessions.delete(user);
    const sqlite = core.store.sqlite;
    expect(sqlite.pragma('integrity_check', { simple: true })).toBe('ok');
    return sqlite;
  }

  /** Syncing again, and the person at it signs in again (offline, when the computer is cut off). */
  async function backAtWork(d: Device, user: User): Promise<void> {
    d.core.sync.start();
    await signIn(d, user);
  }

  // ---- healing and the oracle ------------------------------------------------------------

  async function heal(): Promise<void> {
    for (const d of devices) {
      d.net.faulty = false;
      d.net.offline = false;
    }
    for (const d of devices) await d.net.flush();
    for (const d of devices) {
      d.core.sync.kick();
      await waitFor('the outbox to empty', async () => (await call<SyncStatus>(d.core, 'sync.status')).pending === 0, 60_000);
    }
    for (const d of devices) await d.net.flush();
  }

  /** The server's current rows of these tables, as a fresh device of that profile would get them. */
  async function serverTables(tables: readonly SyncedTable[]): Promise<Map<SyncedTable, string>> {
    const rows = await readChanges(server.db.db, tables, { tenantId: DEMO_SCHOOL.id, afterSeq: 0, limit: 1_000_000, includeDeleted: false });
    const out = new Map<SyncedTable, string>();
    for (const table of tables) {
      const list = rows.filter((r) => r.table_name === table).map((r) => JSON.parse(r.row!) as Record<string, unknown>);
      out.set(table, canonical(list.sort((a, b) => (String(a.id) < String(b.id) ? -1 : 1))));
    }
    return out;
  }

  function deviceTables(core: Core, tables: readonly SyncedTable[]): Map<SyncedTable, string> {
    const out = new Map<SyncedTable, string>();
    for (const table of tables) {
      const rows = (core.store.sqlite.prepare(`select * from ${table} order by id`).all() as Record<string, unknown>[]).map((r) => decodeRow(table, r));
      out.set(table, canonical(rows));
    }
    return out;
  }

  async function serverBalance(studentId: string): Promise<number> {
    const { rows } = await sql<{ balance: string }>`select
      coalesce((select sum(amount_minor) from charges c where c.tenant_id = ${DEMO_SCHOOL.id} and c.student_id = ${studentId} and not exists (select 1 from voids v where v.tenant_id = c.tenant_id and v.target_id = c.id)), 0)
      - coalesce((select sum(amount_minor) from payments p where p.tenant_id = ${DEMO_SCHOOL.id} and p.student_id = ${studentId} and not exists (select 1 from voids v where v.tenant_id = p.tenant_id and v.target_id = p.id)), 0)
      - coalesce((select sum(amount_minor) from discounts d where d.tenant_id = ${DEMO_SCHOOL.id} and d.student_id = ${studentId} and not exists (select 1 from voids v where v.tenant_id = d.tenant_id and v.target_id = d.id)), 0)
      + coalesce((select sum(amount_minor) from refunds r where r.tenant_id = ${DEMO_SCHOOL.id} and r.student_id = ${studentId} and not exists (select 1 from voids v where v.tenant_id = r.tenant_id and v.target_id = r.id)), 0)
      as balance`.execute(server.db.db);
    return Number(rows[0]!.balance);
  }

  async function checkConverged(): Promise<void> {
    const db = server.db.db;
    // Every device holds exactly the server's rows of its profile's tables.
    for (const [i, d] of devices.entries()) {
      const tables = PROFILE_TABLES[DEVICES[i]!.teacherRoom ? 'teacher_room' : 'office'];
      let onServer = await serverTables(tables);
      await waitFor(`${DEVICES[i]!.name} to hold the server's rows`, async () => {
        const mine = deviceTables(d.core, tables);
        if (tables.every((t) => mine.get(t) === onServer.get(t))) return true;
        onServer = await serverTables(tables);
        return false;
      }, 30_000).catch(() => undefined);
      const mine = deviceTables(d.core, tables);
      for (const t of tables) expect(mine.get(t), `${DEVICES[i]!.name}: table ${t} (seed ${SEED})`).toBe(onServer.get(t));
    }

    // Every command that returned was decided by the server; only voids of a payment another
    // office voided first and marks of a student another office moved to another class may be
    // refused, and those wait in "needs attention" on their device.
    const decided = new Map((await db.selectFrom('applied_mutations').select(['mutation_id', 'status', 'name', 'reason']).where('tenant_id', '=', DEMO_SCHOOL.id).execute()).map((m) => [m.mutation_id, m]));
    for (const [id, device] of returned) {
      const m = decided.get(id);
      expect(m, `mutation ${id} from ${DEVICES[device]!.name} returned success but never reached the server (seed ${SEED})`).toBeDefined();
      if (m!.status === 'rejected') {
        exercised.rejectedByServer++;
        expect(['ledger.void', 'attendance.mark'], `${m!.name} refused: ${m!.reason}`).toContain(m!.name);
        expect(devices[device]!.core.store.sqlite.prepare('select count(*) from needs_attention where mutation_id = ?').pluck().get(id)).toBe(1);
      }
    }
    exercised.returnedMutations = returned.size;
    for (const [i, d] of devices.entries()) {
      for (const id of d.core.store.sqlite.prepare('select mutation_id from needs_attention').pluck().all() as string[]) {
        expect(decided.get(id)?.status, `${DEVICES[i]!.name}: ${id} needs attention but the server did not refuse it`).toBe('rejected');
      }
    }

    // Every payment once, with a receipt number no other payment has; balances agree everywhere.
    const payments = await db.selectFrom('payments').select(['id', 'receipt_no']).where('tenant_id', '=', DEMO_SCHOOL.id).execute();
    expect(new Set(payments.map((p) => p.receipt_no)).size).toBe(payments.length);
    const ids = payments.map((p) => p.id);
    for (const id of paymentsReturned) expect(ids.filter((p) => p === id), `payment ${id} (seed ${SEED})`).toHaveLength(1);
    const all = devices[0]!.core.store.sqlite.prepare('select id from students').pluck().all() as string[];
    for (const studentId of all) {
      const expected = await serverBalance(studentId);
      for (const [i, d] of devices.entries()) {
        if (DEVICES[i]!.teacherRoom) continue;
        await signIn(d, 'bursar');
        expect((await call<Statement>(d.core, 'students.statement', { studentId })).balanceMinor, `${DEVICES[i]!.name}: balance of ${studentId}`).toBe(expected);
      }
    }

    // The change log the conflict oracle reads ends where the tables are: each editable row's
    // last change is the row as it is now.
    const { rows: lastChanges } = await sql<{ table_name: string; row_id: string; row: string }>`select distinct on (table_name, row_id) table_name, row_id, row::text as row
      from sync_changes where tenant_id = ${DEMO_SCHOOL.id} and table_name in (${sql.join(EDITABLE_TABLES)}) order by table_name, row_id, seq desc`.execute(db);
    const logged = new Map<SyncedTable, Record<string, unknown>[]>();
    for (const c of lastChanges) logged.set(c.table_name as SyncedTable, [...(logged.get(c.table_name as SyncedTable) ?? []), JSON.parse(c.row) as Record<string, unknown>]);
    const current = await serverTables(EDITABLE_TABLES);
    for (const t of EDITABLE_TABLES) expect(canonical((logged.get(t) ?? []).sort((a, b) => (String(a.id) < String(b.id) ? -1 : 1))), `the log's last word on ${t}`).toBe(current.get(t));

    // The conflict log holds exactly the overwritten values the history says it must.
    const conflicts = await checkConflictLog(db, DEMO_SCHOOL.id, sent);
    expect(conflicts.problems).toEqual([]);
    expect(conflicts.actual).toEqual(conflicts.expected);
    exercised.overwrites = conflicts.overwrites;
    exercised.concurrentOverwrites = conflicts.concurrent;
    exercised.conflicts = conflicts.actual.length;
  }

  it(`converges after faults, restarts and power cuts (seed ${SEED}, ${RUNS} runs)`, async () => {
    console.info(`[sync-convergence] seed ${SEED} (replay with SYNC_SEED=${SEED})`);
    await fc.assert(
      fc.asyncProperty(fc.array(opArb, { minLength: 18, maxLength: 32 }), fc.subarray([0, 1, 2, 3], { minLength: 1 }), fc.integer(), async (ops, offline, faultSeed) => {
        run++;
        exercised.runs++;
        random = mulberry32(faultSeed);
        const started = Date.now();
        // Some computers start the run cut off, so their work meets the others' only later.
        for (const [i, d] of devices.entries()) {
          d.net.faulty = true;
          d.net.offline = offline.includes(i);
        }
        exercised.partitions += offline.length;
        for (const [i, op] of ops.entries()) {
          const t = Date.now();
          await perform(op, i);
          exercised.opMs[op.kind] = (exercised.opMs[op.kind] ?? 0) + Date.now() - t;
        }
        const worked = Date.now();
        await heal();
        const healed = Date.now();
        await checkConverged();
        console.info(`[sync-convergence] run ${run}: ${ops.length} operations in ${worked - started} ms, outboxes empty ${healed - worked} ms later, converged and checked in ${Date.now() - healed} ms`);
      }),
      { seed: SEED, numRuns: RUNS, endOnFailure: true },
    );
    console.info('[sync-convergence] exercised:', JSON.stringify({ ...exercised, network: counts }));
    // Every kind of trouble happened, so the property was exercised, not merely not violated.
    for (const [fault, n] of Object.entries(counts.push)) expect(n, `push fault ${fault}`).toBeGreaterThan(0);
    for (const [fault, n] of Object.entries(counts.shape)) expect(n, `shape fault ${fault}`).toBeGreaterThan(0);
    expect(counts.offlineRefused).toBeGreaterThan(0);
    expect(exercised.restartsMidPush).toBeGreaterThan(0);
    for (const [where, n] of Object.entries(exercised.powerCuts)) expect(n, `power cuts while ${where}`).toBeGreaterThan(0);
    expect(exercised.concurrentOverwrites).toBeGreaterThan(0);
    expect(exercised.conflicts).toBeGreaterThan(0);
    expect(paymentsReturned.length).toBeGreaterThan(5);
    // The oracle can fail: had the writer of a raised conflict already seen the value it
    // replaced (its base naming that version), the conflict would be one too many.
    const raised = (await checkConflictLog(server.db.db, DEMO_SCHOOL.id, sent)).expected[0]!;
    const seenIt = structuredClone(sent.get(raised.mutation)!) as MutationEnvelope & { args: { rows: { id: string; base: Record<string, number> }[] } };
    seenIt.args.rows.find((r) => r.id === raised.row)!.base[raised.field] = Number.MAX_SAFE_INTEGER;
    const tampered = await checkConflictLog(server.db.db, DEMO_SCHOOL.id, new Map(sent).set(raised.mutation, seenIt));
    expect(tampered.actual).not.toEqual(tampered.expected);
  }, 600_000);
});
