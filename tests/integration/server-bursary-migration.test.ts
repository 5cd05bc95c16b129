// Migration 0006 on a database holding schools from before it (terms start to sync, roles gain
// the expense permissions as synced changes, existing ledger rows keep their meaning), and the
// demo school's bursary. Both backends.
import type { FastifyInstance } from 'fastify';
import { sql } from 'kysely';
import { Migrator } from 'kysely/migration';
import { describe, expect, it } from 'vitest';
import { ExpenseRow } from '../../shared/domain/expenses.js';
import { DiscountRow, FeeStructureRow } from '../../shared/domain/fees.js';
import { PaymentRow } from '../../shared/domain/payments.js';
import { RoleRow } from '../../shared/domain/staff.js';
import { TermRow } from '../../shared/domain/terms.js';
import { uuidv7 } from '../../shared/ids.js';
import { buildServer } from '../../sync-server/src/app.js';
import { openServerDb } from '../../sync-server/src/db/connect.js';
import { migrateToLatest } from '../../sync-server/src/db/migrate.js';
import { migrationProvider } from '../../sync-server/src/db/migrations/index.js';
import { withTenant } from '../../sync-server/src/db/with-tenant.js';
import { percentOf } from '../../sync-server/src/ledger/discount-base.js';
import { DEMO_DISCOUNT_IDS, DEMO_EXPENSES, DEMO_FEE_CATEGORY_IDS, demoStructure } from '../../sync-server/src/demo/seed-bursary.js';
import { DEMO_SCHOOL, seedDemoBursary, seedDemoSchool } from '../../sync-server/src/demo/seed-demo.js';
import { CLASSES } from '../../sync-server/src/demo/names.js';
import { createSchool } from '../../sync-server/src/tenants/create-school.js';
import { storeEnrolmentCode } from '../../sync-server/src/devices/enrolment-codes.js';
import { addStudent, BACKENDS, backendSkipped, enrol, freshBackend, mutation, paymentArgs } from '../support/sync-server.js';
import { PUSH_PATH, type EnrolResponse, type PushResponse } from '../../shared/sync/protocol.js';
import { readSnapshot } from '../support/shape-snapshot.js';

async function snapshot(app: FastifyInstance, device: EnrolResponse): Promise<{ table: string; id: string; row: Record<string, unknown> }[]> {
  return (await readSnapshot(app, { authorization: `Bearer ${device.token}` })).filter((m) => m.value?.row).map((m) => ({ table: m.value!.table, id: m.value!.id, row: JSON.parse(m.value!.row!) as Record<string, unknown> }));
}

describe.each(BACKENDS)('migration 0006 on %s', (kind) => {
  if (backendSkipped(kind)) return;

  it("logs each school's terms and gives its roles the expense permissions, as changes the shapes serve; earlier payments and charges keep their meaning", async () => {
    const backend = await freshBackend(kind);
    const server = await openServerDb(backend.databaseUrl ? { databaseUrl: backend.databaseUrl } : {});
    let app: FastifyInstance | undefined;
    try {
      const admin = { username: 'head', displayName: 'Head', password: 'correct horse battery' };
      // Term 2 listed first: the migration numbers terms by their start date.
      const one = await createSchool(server.db, {
        code: 'ONE',
        name: 'One School',
        currency: 'KES',
        timeZone: 'Africa/Nairobi',
        terms: [
          { name: 'Term 2 2026', startsOn: '2026-04-27', endsOn: '2026-07-31' },
          { name: 'Term 1 2026', startsOn: '2026-01-05', endsOn: '2026-04-02' },
        ],
        admin,
      });
      const two = await createSchool(server.db, { code: 'TWO', name: 'Two School', currency: 'KES', timeZone: 'Africa/Nairobi', admin });
      const oneId = one.tenant.id;
      await withTenant(server.db, oneId, (trx) => storeEnrolmentCode(trx, oneId, { code: 'ONE-TEACH-1', profile: 'teacher_room', reusable: true }));
      const student = await addStudent(server.db, oneId);
      app = await buildServer({ db: server });
      const office = await enrol(app, one.enrolment.code);
      const room = await enrol(app, 'ONE-TEACH-1');
      const category = uuidv7();
      const charge = uuidv7();
      const payment = paymentArgs(office.receiptSeries, 1, student.id, { amountMinor: 2_000 });
      const pushed = await app.inject({
        method: 'POST',
        url: PUSH_PATH,
        headers: { authorization: `Bearer ${office.token}` },
        payload: {
          mutations: [
            mutation({ id: category, name: 'Tuition' }, { name: 'fees.createCategory', authorId: one.adminId }),
            mutation({ id: charge, studentId: student.id, categoryId: category, description: '', amountMinor: 5_000, currency: 'KES', term: 'Term 1 2026', dueOn: '2026-01-31', postedAt: new Date().toISOString(), postedBy: null }, { name: 'charges.post', authorId: one.adminId }),
            mutation(payment, { authorId: one.adminId }),
          ],
        },
      });
      expect((pushed.json() as PushResponse).results.map((r) => r.status)).toEqual(['applied', 'applied', 'applied']);
      await app.close();
      app = undefined;

      const migrator = new Migrator({ db: server.db, provider: migrationProvider });
      expect((await migrator.migrateTo('0005_ledger_insert_only')).error).toBeUndefined();
      // As schools were before 0006: nobody had the expense permissions; school two had customised its head teacher.
      await sql`update roles set permissions = permissions - 'expenses.record' - 'expenses.approve'`.execute(server.db);
      await sql`update roles set permissions = '["students.view"]'::jsonb where tenant_id = ${two.tenant.id} and key = 'head_teacher'`.execute(server.db);
      const lastSeq = async (tenantId: string) => (await server.db.selectFrom('tenants').select('last_seq').where('id', '=', tenantId).executeTakeFirstOrThrow()).last_seq;
      const [oneBefore, twoBefore] = [await lastSeq(oneId), await lastSeq(two.tenant.id)];
      const untouched = await server.db.selectFrom('roles').select(['id', 'permissions', '_seq']).where('key', 'not in', ['administrator', 'bursar', 'head_teacher']).orderBy('id').execute();

      await migrator.migrateTo('0006_bursary');

      // School one: its two terms, oldest first, then its three roles by key.
      expect(await lastSeq(oneId)).toBe(oneBefore + 5);
      const terms = await server.db.selectFrom('terms').select(['id', 'name', '_seq', sql<string>`to_char(starts_on, 'YYYY-MM-DD')`.as('starts_on'), sql<string>`to_char(ends_on, 'YYYY-MM-DD')`.as('ends_on')]).where('tenant_id', '=', oneId).orderBy('_seq').execute();
      expect(terms.map((t) => [t.name, t._seq])).toEqual([['Term 1 2026', oneBefore + 1], ['Term 2 2026', oneBefore + 2]]);
      for (const t of terms) {
        const [change] = await server.db.selectFrom('sync_changes').select(['op', 'table_name', 'row', 'author_id']).where('tenant_id', '=', oneId).where('seq', '=', t._seq).execute();
        expect(change).toEqual({ op: 'insert', table_name: 'terms', author_id: null, row: { id: t.id, name: t.name, starts_on: t.starts_on, ends_on: t.ends_on } });
        TermRow.parse(change!.row);
      }
      for (const [s, firstRoleSeq] of [[oneId, oneBefore + 3], [two.tenant.id, twoBefore + 1]] as const) {
        const roles = await server.db.selectFrom('roles').select(['id', 'key', 'name', 'permissions', '_seq']).where('tenant_id', '=', s).where('key', 'in', ['administrator', 'bursar', 'head_teacher']).orderBy('key').execute();
        expect(roles.map((r) => r._seq)).toEqual([firstRoleSeq, firstRoleSeq + 1, firstRoleSeq + 2]);
        expect(roles.map((r) => r.permissions.filter((p) => p.startsWith('expenses.')))).toEqual([['expenses.record', 'expenses.approve'], ['expenses.record'], ['expenses.approve']]);
        for (const r of roles) {
          const [change] = await server.db.selectFrom('sync_changes').select(['op', 'row', 'table_name']).where('tenant_id', '=', s).where('seq', '=', r._seq).execute();
          expect(change).toEqual({ op: 'update', table_name: 'roles', row: { id: r.id, key: r.key, name: r.name, permissions: r.permissions } });
          RoleRow.parse(change!.row);
        }
        expect(await lastSeq(s)).toBe(firstRoleSeq + 2);
      }
      const headTwo = await server.db.selectFrom('roles').select('permissions').where('tenant_id', '=', two.tenant.id).where('key', '=', 'head_teacher').executeTakeFirstOrThrow();
      expect(headTwo.permissions).toEqual(['students.view', 'expenses.approve']);
      expect(await server.db.selectFrom('roles').select(['id', 'permissions', '_seq']).where('key', 'not in', ['administrator', 'bursar', 'head_teacher']).orderBy('id').execute()).toEqual(untouched);

      // Running it again (another process) changes nothing more.
      await migrator.migrateTo('0006_bursary');
      expect(await lastSeq(oneId)).toBe(oneBefore + 5);
      await migrateToLatest(server.db);

      // The earlier payment settled nothing in particular (all credit, applied oldest first) and had no recorded author.
      app = await buildServer({ db: server });
      const officeRows = await snapshot(app, office);
      const paid = officeRows.find((m) => m.table === 'payments' && m.id === payment.id)!.row;
      expect(PaymentRow.parse(paid)).toMatchObject({ allocations: [], recorded_by_id: null });
      expect(officeRows.find((m) => m.table === 'charges' && m.id === charge)!.row).toMatchObject({ structure_id: null });
      // Teacher-room devices now receive the terms (and the roles with their new permissions).
      const roomRows = await snapshot(app, room);
      expect(roomRows.filter((m) => m.table === 'terms').map((m) => TermRow.parse(m.row).name).sort()).toEqual(['Term 1 2026', 'Term 2 2026']);
      expect((roomRows.find((m) => m.table === 'roles' && m.row.key === 'bursar')!.row as RoleRow).permissions).toContain('expenses.record');
      expect(roomRows.some((m) => ['payments', 'charges', 'fee_structures', 'expenses'].includes(m.table))).toBe(false);
    } finally {
      await app?.close();
      await server.close();
      await backend.drop();
    }
  });
});

describe.each(BACKENDS)("the demo school's bursary on %s", (kind) => {
  if (backendSkipped(kind)) return;

  it('synced terms with Term 3 2026, a structure per class, a scholarship and a discount as discounts.grant checks them, expenses approved, rejected and pending; once', async () => {
    const backend = await freshBackend(kind);
    const server = await openServerDb(backend.databaseUrl ? { databaseUrl: backend.databaseUrl } : {});
    try {
      await seedDemoSchool(server.db, { students: 40 });
      const at = (table: string) => sql<{ id: string; row: Record<string, unknown> }>`select row_id as id, row from sync_changes where tenant_id = ${DEMO_SCHOOL.id} and table_name = ${table} order by seq`.execute(server.db).then((r) => r.rows);

      const terms = await at('terms');
      expect(terms.map((t) => TermRow.parse(t.row))).toEqual(DEMO_SCHOOL.terms.map((t) => ({ id: expect.any(String), name: t.name, starts_on: t.startsOn, ends_on: t.endsOn })));

      const structures = await at('fee_structures');
      expect(structures.map((s) => FeeStructureRow.parse(s.row))).toEqual(CLASSES.map((c) => demoStructure(c)));

      const discounts = (await at('discounts')).map((d) => DiscountRow.parse(d.row));
      expect(discounts.map((d) => d.id)).toEqual([DEMO_DISCOUNT_IDS.scholarship, DEMO_DISCOUNT_IDS.sibling]);
      const scholarship = discounts[0]!;
      const tuition = await sql<{ total: string }>`select sum(amount_minor) as total from charges where tenant_id = ${DEMO_SCHOOL.id} and student_id = ${scholarship.student_id} and category_id = ${DEMO_FEE_CATEGORY_IDS.Tuition} and term = 'Term 3 2026'`.execute(server.db);
      expect(scholarship).toMatchObject({ kind: 'scholarship', basis: 'percent', percent_bp: 5_000, amount_minor: percentOf(5_000, Number(tuition.rows[0]!.total)) });
      expect(discounts[1]).toMatchObject({ kind: 'discount', basis: 'fixed', category_id: null, amount_minor: 10_000 });

      const expenses = (await at('expenses')).map((e) => ExpenseRow.parse(e.row));
      expect(expenses).toEqual(DEMO_EXPENSES);
      const decisions = await server.db.selectFrom('expense_approvals').select(['expense_id', 'decision']).execute();
      const status = (id: string) => decisions.find((d) => d.expense_id === id)?.decision ?? 'pending';
      expect(expenses.map((e) => status(e.id))).toEqual(['approved', 'rejected', 'pending']);

      // Seeding again adds nothing.
      const last = await server.db.selectFrom('tenants').select('last_seq').where('id', '=', DEMO_SCHOOL.id).executeTakeFirstOrThrow();
      await seedDemoSchool(server.db, { students: 40 });
      expect(await withTenant(server.db, DEMO_SCHOOL.id, (trx) => seedDemoBursary(trx))).toBe(false);
      expect(await server.db.selectFrom('tenants').select('last_seq').where('id', '=', DEMO_SCHOOL.id).executeTakeFirstOrThrow()).toEqual(last);
    } finally {
      await server.close();
      await backend.drop();
    }
  });
});
