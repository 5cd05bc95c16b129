import { sql, type Transaction } from 'kysely';
import type { LocalDatabase } from '../store/database.js';
import type { PaymentMethod } from '../../../shared/domain/payments.js';
import { isLive } from './ledger-sql.js';

// A file's rows are looked up a few queries at a time, however long the file: each query takes
// its keys as one JSON array (json_each), never one statement per row.

export interface StudentMatch {
  id: string;
  admissionNo: string;
  name: string;
  status: string;
}

/** Students by admission number (compared as admissionKey does: trimmed, any letter case).
 * Offline offices can give two students one number, so a key may find several. */
export async function studentsByAdmissionKey(tx: Transaction<LocalDatabase>, keys: readonly string[]): Promise<Map<string, StudentMatch[]>> {
  const { rows } = await sql<{ id: string; admission_no: string; first_name: string; last_name: string; status: string }>`
    select id, admission_no, first_name, last_name, status from students
    where upper(trim(admission_no)) in (select value from json_each(${JSON.stringify(keys)}))`.execute(tx);
  const byKey = new Map<string, StudentMatch[]>();
  for (const r of rows) {
    const key = r.admission_no.trim().toUpperCase();
    byKey.set(key, [...(byKey.get(key) ?? []), { id: r.id, admissionNo: r.admission_no, name: `${r.first_name} ${r.last_name}`, status: r.status }]);
  }
  return byKey;
}

/** Which of these payment ids exist already (voided or not). */
export async function existingPaymentIds(tx: Transaction<LocalDatabase>, ids: readonly string[]): Promise<Set<string>> {
  const { rows } = await sql<{ id: string }>`select id from payments where id in (select value from json_each(${JSON.stringify(ids)}))`.execute(tx);
  return new Set(rows.map((r) => r.id));
}

export interface LiveSlip {
  id: string;
  studentId: string;
  method: PaymentMethod;
  reference: string;
  receiptNo: string;
  recordedAt: string;
  amountMinor: number;
}

/** Payments not voided that carry one of these references (by the reference index). */
export async function liveSlipsWithReferences(tx: Transaction<LocalDatabase>, references: readonly string[]): Promise<LiveSlip[]> {
  if (references.length === 0) return [];
  const { rows } = await sql<LiveSlip>`
    select p.id, p.student_id as "studentId", p.method, p.reference, p.receipt_no as "receiptNo", p.recorded_at as "recordedAt", p.amount_minor as "amountMinor"
    from payments p
    where p.reference in (select value from json_each(${JSON.stringify(references)}))
      and ${isLive('p.id')}
    order by p.recorded_at, p.id`.execute(tx);
  return rows;
}
