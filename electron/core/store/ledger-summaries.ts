import type Sqlite from 'better-sqlite3';

// The ledger's derived tables (migration 0017): ledger_balances (live totals per student, each
// marked unsettled), charge_positions (settled lazily, see queries/ledger-positions.ts) and
// class_payments (the payments list's class index). Triggers keep them as rows come and go;
// this rebuilds them from the ledger in one pass, for a bulk load that ran without those
// triggers (a snapshot stored with triggers dropped) or a check that they agree.

const live = (alias: string) => `not exists (select 1 from voids v where v.target_id = ${alias}.id)`;

export const REBUILD_LEDGER_SUMMARIES_SQL = `
  delete from ledger_balances;
  delete from charge_positions;
  insert into ledger_balances (student_id, charged, paid, discounted, refunded)
    select student_id, sum(charged), sum(paid), sum(discounted), sum(refunded) from (
      select t.student_id, t.amount_minor as charged, 0 as paid, 0 as discounted, 0 as refunded from charges t where ${live('t')}
      union all select t.student_id, 0, t.amount_minor, 0, 0 from payments t where ${live('t')}
      union all select t.student_id, 0, 0, t.amount_minor, 0 from discounts t where ${live('t')}
      union all select t.student_id, 0, 0, 0, t.amount_minor from refunds t where ${live('t')})
    group by student_id;
  delete from class_payments;
  insert into class_payments (class_name, recorded_at, id)
    select s.class_name, p.recorded_at, p.id from payments p join students s on s.id = p.student_id where s.class_name is not null;`;

/** Rebuilds ledger_balances, charge_positions (emptied: every student unsettled) and class_payments from the ledger, in one transaction. */
export function rebuildLedgerSummaries(sqlite: Sqlite.Database): void {
  sqlite.transaction(() => sqlite.exec(REBUILD_LEDGER_SUMMARIES_SQL))();
}
