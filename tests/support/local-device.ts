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
import type { RoleRow, StaffRow } from '../../shared/domain/staff.js';
import type { FeeCategoryRow } from '../../shared/domain/fees.js';
import { BUILTIN_ROLES } from '../../shared/domain/permissions.js';
import type { SyncedTable } from '../../shared/sync/protocol.js';
import { rememberPassword } from '../../electron/core/auth/sign-in.js';

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
