// A sync server with one school ready for the bursary's server tests: staff of each role, a few
// students, three enrolled devices, fee categories; and builders for every bursary mutation.
import type { FastifyInstance } from 'fastify';
import { sql } from 'kysely';
import { expect } from 'vitest';
import { zeroTotals, type MethodTotals } from '../../shared/domain/cashup.js';
import type { FeeStructureItem, VoidableTable } from '../../shared/domain/fees.js';
import { uuidv7 } from '../../shared/ids.js';
import type { MutationArgs, MutationName } from '../../shared/sync/mutations.js';
import { PUSH_PATH, SYNCED_TABLES, type EnrolResponse, type SyncedTable, type MutationEnvelope, type MutationResult, type PushResponse } from '../../shared/sync/protocol.js';
import { buildServer } from '../../sync-server/src/app.js';
import { openServerDb, type ServerDb } from '../../sync-server/src/db/connect.js';
import { addStaff, addStudent, enrol, freshBackend, makeSchool, mutation, type BackendConfig, type BackendKind, type TestSchool } from './sync-server.js';

import { readSnapshot, type ShapeMessage } from './shape-snapshot.js';

export type { ShapeMessage };

/** Staff, devices and logins are the school's administration, not its bursary: left out. */
const OUTSIDE_THE_BURSARY = ['staff', 'devices', 'login_history'] as const;
type BursaryTable = Exclude<SyncedTable, (typeof OUTSIDE_THE_BURSARY)[number]>;
const inBursary = (t: SyncedTable): t is BursaryTable => !(OUTSIDE_THE_BURSARY as readonly string[]).includes(t);

/** Every table a school's bursary touches (the synced ones and the change log), in the order data() compares them. */
export const SCHOOL_TABLES: readonly (BursaryTable | 'sync_changes')[] = [...SYNCED_TABLES.filter(inBursary), 'sync_changes'];

export interface BursaryServer {
  backend: BackendConfig;
  server: ServerDb;
  app: FastifyInstance;
  school: TestSchool;
  office: EnrolResponse;
  otherOffice: EnrolResponse;
  teacherRoom: EnrolResponse;
  staff: { bursar: string; secondBursar: string; head: string; teacher: string; admin: string };
  students: { amani: string; baraka: string; chebet: string; dennis: string };
  categories: { tuition: string; lunch: string };
}

/** Opens a fresh server and school. Amani and Chebet are in Grade 4 A, Dennis in Grade 5 B,
 * Baraka (Grade 4 A) has withdrawn. */
export async function openBursaryServer(kind: BackendKind, code = 'KHS'): Promise<BursaryServer> {
  const backend = await freshBackend(kind);
  const server = await openServerDb(backend.databaseUrl ? { databaseUrl: backend.databaseUrl } : {});
  const school = await makeSchool(server.db, code, 'Kilima Hills');
  const student = async (first: string, last: string, n: number, className: string, status: 'enrolled' | 'withdrawn' = 'enrolled') =>
    (await addStudent(server.db, school.tenantId, { first_name: first, last_name: last, admission_no: `${code}/2026/0000${n}`, class_name: className, status })).id;
  const students = {
    amani: await student('Amani', 'Otieno', 1, 'Grade 4 A'),
    baraka: await student('Baraka', 'Kamau', 2, 'Grade 4 A', 'withdrawn'),
    chebet: await student('Chebet', 'Wafula', 3, 'Grade 4 A'),
    dennis: await student('Dennis', 'Mwangi', 4, 'Grade 5 B'),
  };
  const staff = {
    bursar: (await addStaff(server.db, school.tenantId, school.roleIds.bursar!, { username: 'bursar', displayName: 'Peter Otieno' })).id,
    secondBursar: (await addStaff(server.db, school.tenantId, school.roleIds.bursar!, { username: 'bursar2', displayName: 'Lucy Njeri' })).id,
    head: (await addStaff(server.db, school.tenantId, school.roleIds.head_teacher!, { username: 'headteacher', displayName: 'Joseph Kariuki' })).id,
    teacher: (await addStaff(server.db, school.tenantId, school.roleIds.teacher!, { username: 'teacher', displayName: 'Mary Achieng' })).id,
    admin: school.adminId,
  };
  const app = await buildServer({ db: server, liveTimeoutMs: 10_000 });
  const office = await enrol(app, school.officeCode, 'Bursary PC');
  const otherOffice = await enrol(app, school.officeCode, 'Head office PC');
  const teacherRoom = await enrol(app, school.teacherCode, 'Staff room PC');
  const categories = { tuition: uuidv7(), lunch: uuidv7() };
  const h: BursaryServer = { backend, server, app, school, office, otherOffice, teacherRoom, staff, students, categories };
  for (const [name, id] of [['Tuition', categories.tuition], ['Lunch', categories.lunch]] as const) {
    expect(await pushOne(h, mutation({ id, name }, { name: 'fees.createCategory', authorId: staff.bursar }))).toMatchObject({ status: 'applied' });
  }
  return h;
}

export async function closeBursaryServer(h: BursaryServer | undefined): Promise<void> {
  await h?.app.close();
  await h?.server.close();
  await h?.backend.drop();
}

export async function push(h: BursaryServer, device: EnrolResponse, mutations: unknown[]): Promise<MutationResult[]> {
  const res = await h.app.inject({ method: 'POST', url: PUSH_PATH, headers: { authorization: `Bearer ${device.token}` }, payload: { mutations } });
  expect(res.statusCode, res.body).toBe(200);
  return (res.json() as PushResponse).results;
}

export async function pushOne(h: BursaryServer, m: unknown, device = h.office): Promise<MutationResult> {
  return (await push(h, device, [m]))[0]!;
}

export async function applied(h: BursaryServer, m: unknown, device = h.office): Promise<void> {
  expect(await pushOne(h, m, device)).toEqual({ mutationId: (m as MutationEnvelope).id, status: 'applied' });
}

/** Every row of the school's bursary and its change log (not applied_mutations, where a
 * refusal is recorded), as one comparable string. */
export async function data(h: BursaryServer): Promise<string> {
  const parts: unknown[] = [await h.server.db.selectFrom('tenants').select('last_seq').where('id', '=', h.school.tenantId).execute()];
  for (const t of SCHOOL_TABLES) {
    parts.push((await sql`select * from ${sql.table(t)} where tenant_id = ${h.school.tenantId} order by 1, 2`.execute(h.server.db)).rows);
  }
  return JSON.stringify(parts);
}

/** Pushes one mutation that must be refused with `reason`; checks nothing was changed, and that
 * pushing it again (a replay) gives the same answer. Returns the reason. */
export async function refused(h: BursaryServer, m: unknown, reason: RegExp, device = h.office): Promise<string> {
  const before = await data(h);
  const r = await pushOne(h, m, device);
  expect(r).toMatchObject({ status: 'rejected', reason: expect.stringMatching(reason) });
  expect(await data(h)).toBe(before);
  expect(await pushOne(h, m, device)).toEqual(r);
  return (r as { reason: string }).reason;
}

export async function shape(h: BursaryServer, device: EnrolResponse): Promise<ShapeMessage[]> {
  return readSnapshot(h.app, { authorization: `Bearer ${device.token}` });
}

/** The row a device receives for (table, id) in a fresh snapshot. */
export async function shapedRow(h: BursaryServer, device: EnrolResponse, table: string, id: string): Promise<Record<string, unknown> | undefined> {
  const m = (await shape(h, device)).find((s) => s.value?.table === table && s.value.id === id);
  return m?.value?.row ? (JSON.parse(m.value.row) as Record<string, unknown>) : undefined;
}

export async function changesOf(h: BursaryServer, table: string, rowId: string) {
  return h.server.db
    .selectFrom('sync_changes')
    .select(['op', 'row', 'author_id', 'device_id', 'mutation_id'])
    .where('tenant_id', '=', h.school.tenantId)
    .where('table_name', '=', table)
    .where('row_id', '=', rowId)
    .orderBy('seq')
    .execute();
}

export async function count(h: BursaryServer, table: (typeof SCHOOL_TABLES)[number]): Promise<number> {
  return Number((await sql<{ n: string }>`select count(*) as n from ${sql.table(table)} where tenant_id = ${h.school.tenantId}`.execute(h.server.db)).rows[0]!.n);
}

// ---- mutation builders (authored by the bursar unless told otherwise) ----

export function as<K extends MutationName>(name: K, args: MutationArgs<K>, authorId: string): MutationEnvelope {
  return mutation(args, { name, authorId });
}

export const item = (categoryId: string, instalments: [dueOn: string, amountMinor: number][]): FeeStructureItem => ({
  categoryId,
  amountMinor: instalments.reduce((s, [, a]) => s + a, 0),
  instalments: instalments.map(([dueOn, amountMinor]) => ({ dueOn, amountMinor })),
});

export const structureArgs = (o: Partial<MutationArgs<'fees.saveStructure'>> & Pick<MutationArgs<'fees.saveStructure'>, 'items'>): MutationArgs<'fees.saveStructure'> => ({
  id: uuidv7(),
  className: 'Grade 4 A',
  term: 'Term 3 2026',
  active: true,
  ...o,
});

export const chargeArgs = (studentId: string, categoryId: string, o: Partial<MutationArgs<'charges.post'>> = {}): MutationArgs<'charges.post'> => ({
  id: uuidv7(),
  studentId,
  categoryId,
  description: '',
  amountMinor: 100_000,
  currency: 'KES',
  term: 'Term 3 2026',
  dueOn: '2026-08-31',
  postedAt: new Date().toISOString(),
  postedBy: 'Peter Otieno',
  structureId: null,
  ...o,
});

let receiptNo = 0;
export const paymentArgs = (device: EnrolResponse, studentId: string, o: Partial<MutationArgs<'payments.record'>> = {}): MutationArgs<'payments.record'> => ({
  id: uuidv7(),
  studentId,
  amountMinor: 50_000,
  currency: 'KES',
  method: 'cash',
  reference: null,
  receiptNo: `${device.receiptSeries}-${String(++receiptNo).padStart(6, '0')}`,
  recordedAt: new Date().toISOString(),
  recordedBy: 'Peter Otieno',
  allocations: [],
  ...o,
});

export const discountArgs = (studentId: string, o: Partial<MutationArgs<'discounts.grant'>>): MutationArgs<'discounts.grant'> => ({
  id: uuidv7(),
  studentId,
  categoryId: null,
  kind: 'discount',
  basis: 'fixed',
  percentBp: null,
  amountMinor: 1_000,
  term: null,
  reason: 'Sibling discount',
  postedAt: new Date().toISOString(),
  postedBy: 'Peter Otieno',
  ...o,
});

export const refundArgs = (studentId: string, o: Partial<MutationArgs<'refunds.record'>> = {}): MutationArgs<'refunds.record'> => ({
  id: uuidv7(),
  studentId,
  amountMinor: 1_000,
  currency: 'KES',
  method: 'cash',
  reference: null,
  reason: 'Overpaid last term',
  refundedAt: new Date().toISOString(),
  refundedBy: 'Peter Otieno',
  ...o,
});

export const expenseArgs = (o: Partial<MutationArgs<'expenses.record'>> = {}): MutationArgs<'expenses.record'> => ({
  id: uuidv7(),
  category: 'Stationery',
  payee: 'Kilima Stationers',
  description: 'Chalk',
  amountMinor: 45_000,
  currency: 'KES',
  method: 'cash',
  reference: null,
  spentOn: '2026-08-25',
  attachments: ['receipt-0825.pdf'],
  recordedAt: new Date().toISOString(),
  recordedBy: 'Peter Otieno',
  ...o,
});

export const decideArgs = (expenseId: string, decision: 'approved' | 'rejected' = 'approved', o: Partial<MutationArgs<'expenses.decide'>> = {}): MutationArgs<'expenses.decide'> => ({
  id: uuidv7(),
  expenseId,
  decision,
  note: '',
  decidedAt: new Date().toISOString(),
  decidedBy: 'Joseph Kariuki',
  ...o,
});

export const totals = (t: Partial<MethodTotals> = {}): MethodTotals => ({ ...zeroTotals(), ...t });

export const cashUpArgs = (businessDate: string, o: Partial<MutationArgs<'cashup.close'>> = {}): MutationArgs<'cashup.close'> => ({
  id: uuidv7(),
  businessDate,
  staffName: 'Peter Otieno',
  expected: totals({ cash: 50_000 }),
  counted: totals({ cash: 49_000 }),
  note: '',
  closedAt: new Date().toISOString(),
  ...o,
});

export const voidArgs = (targetTable: VoidableTable, targetId: string, reason = 'entered by mistake'): MutationArgs<'ledger.void'> => ({
  id: uuidv7(),
  targetTable,
  targetId,
  reason,
  voidedAt: new Date().toISOString(),
  voidedBy: 'Peter Otieno',
});
