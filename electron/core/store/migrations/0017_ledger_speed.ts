import { sql, type Kysely } from 'kysely';

// Frozen like every migration. Two local tables derived from the ledger, kept by triggers so a
// bursary list reads an index instead of aggregating a million payments (issue 7). Neither is
// synced; both can be rebuilt from the ledger at any time (store/ledger-summaries.ts).
//
// ledger_balances: per student, the live (not voided) totals of charges, payments, discounts and
// refunds; balance = charged - paid - discounted + refunded. A ledger row counts while no void
// names it: a void counts when it is the first for its target and uncounts when the last goes
// (two offices may void the same entry offline; a refused void's row is deleted). Rows and voids
// may arrive in either order in a pull.
//
// A change to a student's totals also marks them unsettled (settled = 0): charge_positions holds
// what settle() made of each live charge of the settled students (amount and still owed), so the
// dashboard settles only the students whose ledger moved since it last looked
// (queries/ledger-positions.ts) instead of the whole school every time.
//
// class_payments: (class, time, id) of every payment of a student in a class, in the order the
// payments list pages them, so "payments of class X, newest first" is a range of one index.
// It follows the student's class: moving a student moves their entries.

const LEDGER = [
  { table: 'charges', column: 'charged' },
  { table: 'payments', column: 'paid' },
  { table: 'discounts', column: 'discounted' },
  { table: 'refunds', column: 'refunded' },
] as const;

const live = (id: string) => `not exists (select 1 from voids v where v.target_id = ${id})`;
const add = (column: string, student: string, amount: string) =>
  `insert into ledger_balances (student_id, ${column}) values (${student}, ${amount})
     on conflict(student_id) do update set ${column} = ${column} + excluded.${column}, settled = 0;`;
const subtract = (column: string, student: string, amount: string) =>
  `update ledger_balances set ${column} = ${column} - ${amount}, settled = 0 where student_id = ${student};`;

export async function up(db: Kysely<any>): Promise<void> {
  const run = (text: string) => sql.raw(text).execute(db);

  await run(`create table ledger_balances (
    student_id text primary key,
    charged integer not null default 0,
    paid integer not null default 0,
    discounted integer not null default 0,
    refunded integer not null default 0,
    settled integer not null default 0
  ) without rowid`);
  await run('create index ledger_unsettled on ledger_balances (student_id) where settled = 0');
  await run(`create table charge_positions (
    student_id text not null,
    charge_id text not null,
    category_id text not null,
    term text,
    amount_minor integer not null,
    owed_minor integer not null,
    primary key (student_id, charge_id)
  ) without rowid`);

  for (const { table, column } of LEDGER) {
    await run(`create trigger ledger_balances_${table}_insert after insert on ${table} when ${live('new.id')} begin
      ${add(column, 'new.student_id', 'new.amount_minor')} end`);
    await run(`create trigger ledger_balances_${table}_delete after delete on ${table} when ${live('old.id')} begin
      ${subtract(column, 'old.student_id', 'old.amount_minor')} end`);
    // Ledger rows are insert-only; should one ever be rewritten, the totals (and its settling) follow it.
    await run(`create trigger ledger_balances_${table}_update after update on ${table} when ${live('new.id')} begin
      ${subtract(column, 'old.student_id', 'old.amount_minor')}
      ${add(column, 'new.student_id', 'new.amount_minor')} end`);
  }
  // A void names its target by id alone here (as isLive does): each table is probed by its key.
  // Its target may have come while voided (no totals row yet), hence an upsert when it counts again.
  const ofTarget = (table: string, column: string, sign: '+' | '-', id: string) =>
    sign === '-'
      ? `update ledger_balances set ${column} = ${column} - (select amount_minor from ${table} where id = ${id}), settled = 0
           where student_id = (select student_id from ${table} where id = ${id});`
      : `insert into ledger_balances (student_id, ${column}) select t.student_id, t.amount_minor from ${table} t where t.id = ${id}
           on conflict(student_id) do update set ${column} = ${column} + excluded.${column}, settled = 0;`;
  await run(`create trigger ledger_balances_void_insert after insert on voids
    when (select count(*) from voids v where v.target_id = new.target_id) = 1 begin
      ${LEDGER.map(({ table, column }) => ofTarget(table, column, '-', 'new.target_id')).join('\n')} end`);
  await run(`create trigger ledger_balances_void_delete after delete on voids
    when ${live('old.target_id')} begin
      ${LEDGER.map(({ table, column }) => ofTarget(table, column, '+', 'old.target_id')).join('\n')} end`);

  await run(`create table class_payments (
    class_name text not null,
    recorded_at text not null,
    id text not null,
    primary key (class_name, recorded_at, id)
  ) without rowid`);
  const entriesOf = (student: string, className: string) =>
    `insert into class_payments (class_name, recorded_at, id) select ${className}, p.recorded_at, p.id from payments p
       where p.student_id = ${student} and ${className} is not null on conflict do nothing;`;
  const dropEntriesOf = (student: string, className: string) =>
    `delete from class_payments where class_name = ${className}
       and (recorded_at, id) in (select p.recorded_at, p.id from payments p where p.student_id = ${student});`;
  const entry = `insert into class_payments (class_name, recorded_at, id) select s.class_name, new.recorded_at, new.id from students s
       where s.id = new.student_id and s.class_name is not null on conflict do nothing;`;
  const dropEntry = `delete from class_payments where class_name = (select s.class_name from students s where s.id = old.student_id)
       and recorded_at = old.recorded_at and id = old.id;`;
  await run(`create trigger class_payments_insert after insert on payments begin ${entry} end`);
  await run(`create trigger class_payments_delete after delete on payments begin ${dropEntry} end`);
  await run(`create trigger class_payments_update after update of student_id, recorded_at on payments begin ${dropEntry} ${entry} end`);
  await run(`create trigger class_payments_student_insert after insert on students begin ${entriesOf('new.id', 'new.class_name')} end`);
  await run(`create trigger class_payments_student_delete after delete on students begin ${dropEntriesOf('old.id', 'old.class_name')} end`);
  await run(`create trigger class_payments_student_class after update of class_name on students when old.class_name is not new.class_name begin
      ${dropEntriesOf('old.id', 'old.class_name')}
      ${entriesOf('new.id', 'new.class_name')} end`);

  // Filled from the ledger already on the device (the same statements as rebuildLedgerSummaries).
  await run(`insert into ledger_balances (student_id, charged, paid, discounted, refunded)
    select student_id, sum(charged), sum(paid), sum(discounted), sum(refunded) from (
      ${LEDGER.map(({ table }, i) => `select t.student_id, ${LEDGER.map((l, j) => `${i === j ? 't.amount_minor' : '0'} as ${l.column}`).join(', ')} from ${table} t where ${live('t.id')}`).join('\n      union all ')}
    ) group by student_id`);
  await run(`insert into class_payments (class_name, recorded_at, id)
    select s.class_name, p.recorded_at, p.id from payments p join students s on s.id = p.student_id where s.class_name is not null`);
}

export async function down(): Promise<void> {
  throw new Error('Local migrations are forward-only: a device never downgrades its store.');
}
