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
export async function openTestDevice(options: { students?: number; serverUrl?: string } = {}): Promise<TestDevice> {
  const dir = mkdtempSync(join(tmpdir(), 'schoolhouse-device-'));
  const store = await openLocalStore(join(dir, LOCAL_DB_FILE));
  await saveEnrolment(store.db, options.serverUrl ?? 'http://127.0.0.1:9', 'Office PC', {
    deviceId: uuidv7(),
    token: 'a'.repeat(64),
    receiptSeries: 'TEST-D1',
    school: { id: 'school-test', name: 'Test School', currency: 'KES' },
  });
  const students = makeStudents(options.students ?? 0);
  await withSqlite(store, (sqlite) =>
    sqlite.transaction(() =>
      applyChanges(
        sqlite,
        students.map((row, i) => validateChange({ table: 'students', id: row.id, seq: i + 1, deleted: false, row })),
      ),
    )(),
  );
  await store.close();
  const core = await openCore({ dataDir: dir, startSync: false });
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
