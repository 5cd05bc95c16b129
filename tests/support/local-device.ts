import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openCore, LOCAL_DB_FILE, type Core } from '../../electron/core/open-core.js';
import { openLocalStore } from '../../electron/core/store/open-store.js';
import { saveEnrolment } from '../../electron/core/device/device-state.js';
import { applyChanges, validateChange } from '../../electron/core/sync/apply-changes.js';
import { withSqlite } from '../../electron/core/store/with-sqlite.js';
import { uuidv7 } from '../../shared/ids.js';
import type { StudentRow } from '../../shared/domain/students.js';
import { STUDENT_PROFILE_DEFAULTS } from '../../shared/domain/students.js';
import type { RoleRow, StaffRow } from '../../shared/domain/staff.js';
import type { FeeCategoryRow } from '../../shared/domain/fees.js';
import { BUILTIN_ROLES } from '../../shared/domain/permissions.js';
import type { SyncedTable } from '../../shared/sync/protocol.js';
import { rememberPassword } from '../../electron/core/auth/sign-in.js';
import { pushOnce, type PushOutcome } from '../../electron/core/sync/push.js';
import type { ApiInput, ApiMethod, ApiOutput } from '../../shared/api/contract.js';
import type { ErrorBody } from '../../shared/api/errors.js';
import type { MutationEnvelope, MutationResult } from '../../shared/sync/protocol.js';

export const TEST_PASSWORD = 'correct horse battery';

/** The built-in roles with fixed ids, and one active person per role (username = role key). */
export const TEST_ROLES: RoleRow[] = BUILTIN_ROLES.map((r, i) => ({
  id: `0190a000-0000-7000-8000-${String(i + 1).padStart(12, '0')}`,
  key: r.key,
  name: r.name,
  permissions: [...r.permissions],
}));
export const TEST_STAFF: StaffRow[] = TEST_ROLES.map((r, i) => ({
  id: `0190b000-0000-7000-8000-${String(i + 1).padStart(12, '0')}`,
  username: r.key!.replace('_', '.'),
  display_name: `${r.name} Person`,
  role_id: r.id,
  active: true,
}));
export const TEST_CATEGORIES: FeeCategoryRow[] = [
  { id: '0190c000-0000-7000-8000-000000000001', name: 'Tuition', active: true },
  { id: '0190c000-0000-7000-8000-000000000002', name: 'Lunch', active: true },
  { id: '0190c000-0000-7000-8000-000000000003', name: 'Old uniform levy', active: false },
];

export function staffFor(roleKey: string): StaffRow {
  return TEST_STAFF[TEST_ROLES.findIndex((r) => r.key === roleKey)]!;
}

const FIRST = ['Amina', 'Brian', 'Chloe', 'David', 'Esther', 'Faith', 'George', 'Hassan', 'Irene', 'James', 'Kevin', 'Lucy'];
const LAST = ['Achieng', 'Baraka', 'Chege', 'Dlamini', 'Eze', 'Fofana', 'Gitau', 'Hamisi', 'Ibrahim', 'Juma', 'Kamau', 'Mwangi'];

/** Deterministic students for local-store tests (no server involved). */
export function makeStudents(n: number): StudentRow[] {
  return Array.from({ length: n }, (_, i) => ({
    ...STUDENT_PROFILE_DEFAULTS,
      id: uuidv7(),
    admission_no: `KHS/2026/${String(i + 1).padStart(5, '0')}`,
    first_name: FIRST[i % FIRST.length]!,
    last_name: LAST[Math.floor(i / FIRST.length) % LAST.length]!,
    class_name: `Grade ${1 + (i % 7)}`,
    status: i % 50 === 49 ? 'withdrawn' : 'enrolled',
    guardian_phone: `+254 7${String(10_000_000 + i).slice(-8, -6)} ${String(i).padStart(6, '0').slice(0, 3)} ${String(i).padStart(6, '0').slice(3)}`,
  }));
}

export interface TestDevice {
  core: Core;
  dir: string;
  students: StudentRow[];
  dispose(): Promise<void>;
}

/** A real SQLite file in a temp folder, enrolled as if by a server, holding `students` pulled rows. */
function asChanges<T extends { id: string }>(table: SyncedTable, rows: T[]) {
  return rows.map((row, i) => validateChange({ table, id: row.id, seq: i + 1, deleted: false, row }));
}

/**
 * A real SQLite file in a temp folder, enrolled as if by a server that cannot be reached, with
 * the built-in roles, one person per role who signed in here before (password TEST_PASSWORD),
 * and `students` pulled rows. `signInAs` signs that person in, offline, through the real path.
 */
export async function openTestDevice(options: { students?: number; serverUrl?: string; signInAs?: string | null } = {}): Promise<TestDevice> {
  const dir = mkdtempSync(join(tmpdir(), 'schoolhouse-device-'));
  const store = await openLocalStore(join(dir, LOCAL_DB_FILE));
  await saveEnrolment(store.db, options.serverUrl ?? 'http://127.0.0.1:9', 'Office PC', {
    deviceId: uuidv7(),
    token: 'a'.repeat(64),
    receiptSeries: 'TEST-D1',
    profile: 'office',
    school: { id: 'school-test', name: 'Test School', currency: 'KES', timeZone: 'Africa/Nairobi' },
  });
  const students = makeStudents(options.students ?? 0);
  await withSqlite(store, (sqlite) =>
    sqlite.transaction(() =>
      applyChanges(sqlite, [...asChanges('roles', TEST_ROLES), ...asChanges('staff', TEST_STAFF), ...asChanges('fee_categories', TEST_CATEGORIES), ...asChanges('students', students)]),
    )(),
  );
  for (const person of TEST_STAFF) await rememberPassword(store.db, person.id, person.username, TEST_PASSWORD);
  await store.close();
  const core = await openCore({ dataDir: dir, startSync: false });
  const signInAs = options.signInAs === undefined ? 'bursar' : options.signInAs;
  if (signInAs) {
    const reply = await core.dispatch('auth.login', { username: staffFor(signInAs).username, password: TEST_PASSWORD });
    if (!reply.ok) throw new Error(`test sign-in failed: ${reply.error.message}`);
  }
  return {
    core,
    dir,
    students,
    async dispose() {
      await core.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Calls a core method as the renderer would, typed by the contract; throws on a refusal. */
export async function call<K extends ApiMethod>(core: Core, method: K, input: ApiInput<K>): Promise<ApiOutput<K>> {
  const reply = await core.dispatch(method, input);
  if (!reply.ok) throw new Error(`${method}: ${reply.error.message}`);
  return reply.value as ApiOutput<K>;
}

/** The refusal of a call that must be refused (throws if it was accepted). */
export async function refusal<K extends ApiMethod>(core: Core, method: K, input: ApiInput<K>): Promise<ErrorBody> {
  const reply = await core.dispatch(method, input);
  if (reply.ok) throw new Error(`${method} was accepted but should have been refused`);
  return reply.error;
}

/** Signs in the test person of a role (offline, through the real path). */
export async function signInAs(core: Core, roleKey: string): Promise<void> {
  await call(core, 'auth.login', { username: staffFor(roleKey).username, password: TEST_PASSWORD });
}

/** Rows arriving from the server, through the real apply path (with its rebase over pending rows). */
export async function pullRows<T extends { id: string }>(core: Core, table: SyncedTable, rows: T[]): Promise<void> {
  const changes = asChanges(table, rows);
  await withSqlite(core.store, (sqlite) => sqlite.transaction(() => applyChanges(sqlite, changes))());
}

/**
 * Pushes the outbox through the real push-and-settle path to a stand-in for the sync server
 * that gives `verdict` for each mutation: only the server's answer is supplied by the test.
 */
export async function pushWithVerdicts(core: Core, verdict: (m: MutationEnvelope) => MutationResult): Promise<PushOutcome> {
  const server: typeof fetch = async (_url, init) => {
    const { mutations } = JSON.parse(String(init?.body)) as { mutations: MutationEnvelope[] };
    return new Response(JSON.stringify({ results: mutations.map(verdict) }), { status: 200, headers: { 'content-type': 'application/json' } });
  };
  return pushOnce(core.store, core.device.server_url, core.device.token, server);
}

/** How many rows each ledger table, the outbox and "needs attention" hold, and the next receipt
 * number: a refused command must leave all of it as it was. */
export function storeCounts(core: Core): Record<string, number> {
  const one = (sql: string) => core.store.sqlite.prepare(sql).pluck().get() as number;
  const tables = ['charges', 'payments', 'discounts', 'refunds', 'expenses', 'expense_approvals', 'voids', 'cash_ups', 'fee_structures', 'outbox', 'outbox_rows', 'shadow_rows', 'needs_attention'];
  return { ...Object.fromEntries(tables.map((t) => [t, one(`select count(*) from ${t}`)])), nextReceiptNo: one('select next_receipt_no from device') };
}
