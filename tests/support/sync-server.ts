// Helpers for sync-server integration tests: each test file runs against PGlite and PostgreSQL.
import type { FastifyInstance } from 'fastify';
import type { Kysely } from 'kysely';
import { formatReceiptNo } from '../../shared/domain/payments.js';
import type { StudentRow } from '../../shared/domain/students.js';
import { STUDENT_PROFILE_DEFAULTS } from '../../shared/domain/students.js';
import { uuidv7 } from '../../shared/ids.js';
import type { MutationArgs } from '../../shared/sync/mutations.js';
import { AUTH_LOGIN_PATH, ENROL_PATH, type EnrolResponse, type LoginResponse, type MutationEnvelope } from '../../shared/sync/protocol.js';
import { hashPassword } from '../../sync-server/src/auth/passwords.js';
import { withTenant } from '../../sync-server/src/db/with-tenant.js';
import { DEMO_STAFF } from '../../sync-server/src/demo/seed-demo.js';
import { storeEnrolmentCode } from '../../sync-server/src/devices/enrolment-codes.js';
import { insertStaff, updateStaff } from '../../sync-server/src/staff/rows.js';
import { createSchool } from '../../sync-server/src/tenants/create-school.js';
import { allocateSeqs, appendChanges } from '../../sync-server/src/changes/append.js';
import type { ServerDatabase } from '../../sync-server/src/db/schema.js';
import { it } from 'vitest';
import { createTestDatabase, postgresUnavailable } from './postgres.js';

export type BackendKind = 'pglite' | 'postgres';
export const BACKENDS: BackendKind[] = ['pglite', 'postgres'];

/** Why PostgreSQL tests are skipped here (null when they run; under CI this throws instead). */
export const postgresSkipReason = await postgresUnavailable();

/** Inside describe.each(BACKENDS): registers a visible skip and returns true when this backend
 * cannot run here (never under CI, where postgresUnavailable throws instead). */
export function backendSkipped(kind: BackendKind): boolean {
  if (kind !== 'postgres' || !postgresSkipReason) return false;
  it.skip(`PostgreSQL unavailable: ${postgresSkipReason}`, () => undefined);
  return true;
}

export interface BackendConfig {
  databaseUrl?: string;
  drop(): Promise<void>;
}

/** Connection settings for a fresh, empty database of the given kind. */
export async function freshBackend(kind: BackendKind): Promise<BackendConfig> {
  if (kind === 'pglite') return { drop: async () => undefined };
  const t = await createTestDatabase();
  return { databaseUrl: t.url, drop: t.drop };
}

/** Adds a student the way the server records every change: with a seq and a sync_changes row. */
export async function addStudent(db: Kysely<ServerDatabase>, tenantId: string, overrides: Partial<StudentRow> = {}): Promise<StudentRow> {
  const row: StudentRow = {
    ...STUDENT_PROFILE_DEFAULTS,
      id: uuidv7(),
    admission_no: `T/${Math.floor(Math.random() * 1e6)}`,
    first_name: 'Amani',
    last_name: 'Otieno',
    class_name: 'Grade 3 A',
    status: 'enrolled',
    guardian_phone: null,
    ...overrides,
  };
  await db.transaction().execute(async (trx) => {
    const seq = await allocateSeqs(trx, tenantId, 1);
    await trx.insertInto('students').values({ tenant_id: tenantId, ...row, _seq: seq }).execute();
    await appendChanges(trx, tenantId, [{ seq, table: 'students', rowId: row.id, op: 'insert', row }], { mutationId: null, deviceId: null });
  });
  return row;
}

export async function enrol(app: FastifyInstance, enrolmentCode: string, deviceName = 'Office PC'): Promise<EnrolResponse> {
  const res = await app.inject({ method: 'POST', url: ENROL_PATH, payload: { enrolmentCode, deviceName } });
  if (res.statusCode !== 200) throw new Error(`enrolment failed: ${res.statusCode} ${res.body}`);
  return res.json() as EnrolResponse;
}

export function paymentArgs(series: string, n: number, studentId: string, overrides: Partial<MutationArgs<'payments.record'>> = {}): MutationArgs<'payments.record'> {
  return {
    id: uuidv7(),
    studentId,
    amountMinor: 150_000,
    currency: 'KES',
    method: 'cash',
    reference: null,
    receiptNo: formatReceiptNo(series, n),
    recordedAt: new Date().toISOString(),
    recordedBy: 'Bursar',
    allocations: [],
    ...overrides,
  };
}

let deviceSeq = 0;
/** A payments.record mutation by default, authored by the demo school's bursar; tests of other
 * schools pass their own authorId. */
export function mutation(args: unknown, overrides: Partial<MutationEnvelope> = {}): MutationEnvelope {
  return { id: uuidv7(), seq: ++deviceSeq, name: 'payments.record', args, schemaVersion: 1, authorId: DEMO_STAFF.bursar.id, ...overrides };
}

export interface TestSchool {
  tenantId: string;
  code: string;
  name: string;
  adminId: string;
  roleIds: Record<string, string>;
  /** Reusable codes, so a test can enrol as many devices as it needs. */
  officeCode: string;
  teacherCode: string;
}

export const TEST_ADMIN_PASSWORD = 'correct horse battery';

/** Creates a school with its built-in roles, an administrator `head` and reusable enrolment codes. */
export async function makeSchool(db: Kysely<ServerDatabase>, code: string, name = `${code} School`): Promise<TestSchool> {
  const created = await createSchool(db, {
    code,
    name,
    currency: 'KES',
    timeZone: 'Africa/Nairobi',
    admin: { username: 'head', displayName: `Head of ${code}`, password: TEST_ADMIN_PASSWORD },
  });
  const tenantId = created.tenant.id;
  const officeCode = `${code}-ENROL-1`;
  const teacherCode = `${code}-TEACH-1`;
  await withTenant(db, tenantId, async (trx) => {
    await storeEnrolmentCode(trx, tenantId, { code: officeCode, profile: 'office', reusable: true });
    await storeEnrolmentCode(trx, tenantId, { code: teacherCode, profile: 'teacher_room', reusable: true });
  });
  return { tenantId, code, name, adminId: created.adminId, roleIds: created.roleIds, officeCode, teacherCode };
}

/** Adds a staff member with a built-in role, the way the server writes synced rows. */
export async function addStaff(
  db: Kysely<ServerDatabase>,
  tenantId: string,
  roleId: string,
  fields: { username: string; displayName: string; password?: string },
): Promise<{ id: string; username: string; password: string }> {
  const id = uuidv7();
  const password = fields.password ?? `${fields.username}-password-1`;
  const hash = await hashPassword(password);
  await withTenant(db, tenantId, (trx) =>
    insertStaff(trx, tenantId, { id, username: fields.username, display_name: fields.displayName, role_id: roleId, active: true }, hash, { mutationId: null, deviceId: null }),
  );
  return { id, username: fields.username, password };
}

/** Changes a staff member's role or active flag as an administrator would (a synced change). */
export async function setStaff(db: Kysely<ServerDatabase>, tenantId: string, staffId: string, patch: { role_id?: string; active?: boolean }): Promise<void> {
  await withTenant(db, tenantId, (trx) => updateStaff(trx, tenantId, staffId, patch, { mutationId: null, deviceId: null }));
}

/** Signs a staff member in on a device; returns the access token. */
export async function signIn(app: FastifyInstance, deviceToken: string, username: string, password: string): Promise<string> {
  const res = await app.inject({ method: 'POST', url: AUTH_LOGIN_PATH, headers: { authorization: `Bearer ${deviceToken}` }, payload: { username, password } });
  if (res.statusCode !== 200) throw new Error(`sign-in failed: ${res.statusCode} ${res.body}`);
  return (res.json() as LoginResponse).accessToken;
}

export async function counts(db: Kysely<ServerDatabase>): Promise<{ payments: number; changes: number; applied: number }> {
  const one = async (table: 'payments' | 'sync_changes' | 'applied_mutations') =>
    Number((await db.selectFrom(table).select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n);
  return { payments: await one('payments'), changes: await one('sync_changes'), applied: await one('applied_mutations') };
}
