// Helpers for sync-server integration tests: each test file runs against PGlite and PostgreSQL.
import type { FastifyInstance } from 'fastify';
import type { Kysely } from 'kysely';
import { formatReceiptNo } from '../../shared/domain/payments.js';
import type { StudentRow } from '../../shared/domain/students.js';
import { uuidv7 } from '../../shared/ids.js';
import type { MutationArgs } from '../../shared/sync/mutations.js';
import { ENROL_PATH, type EnrolResponse, type MutationEnvelope } from '../../shared/sync/protocol.js';
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
    ...overrides,
  };
}

let deviceSeq = 0;
export function mutation(args: unknown, overrides: Partial<MutationEnvelope> = {}): MutationEnvelope {
  return { id: uuidv7(), seq: ++deviceSeq, name: 'payments.record', args, schemaVersion: 1, ...overrides };
}

export async function counts(db: Kysely<ServerDatabase>): Promise<{ payments: number; changes: number; applied: number }> {
  const one = async (table: 'payments' | 'sync_changes' | 'applied_mutations') =>
    Number((await db.selectFrom(table).select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n);
  return { payments: await one('payments'), changes: await one('sync_changes'), applied: await one('applied_mutations') };
}
