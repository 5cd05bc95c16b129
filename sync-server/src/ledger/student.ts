import type { TenantTrx } from '../db/with-tenant.js';

export interface LedgerStudent {
  id: string;
  firstName: string;
  lastName: string;
  className: string | null;
  /** "Amani Otieno (KHS/2026/00001)", for refusals. */
  who: string;
}

/** How a refusal names the entry a student was given for: "payment", "the payment was not
 * recorded", "payments can only be recorded for enrolled students". */
export interface EntryWords {
  noun: string;
  notDone: string;
  onlyEnrolled: string;
}

/** The enrolled student an entry is for, or the refusal saying why not. An unknown id is never
 * repeated: an answer never echoes an id that is not this school's. */
export async function enrolledStudent(
  trx: TenantTrx,
  tenantId: string,
  studentId: string,
  words: EntryWords,
): Promise<{ student: LedgerStudent } | { refusal: string }> {
  const s = await trx
    .selectFrom('students')
    .select(['id', 'first_name', 'last_name', 'admission_no', 'class_name', 'status', 'deleted'])
    .where('tenant_id', '=', tenantId)
    .where('id', '=', studentId)
    .executeTakeFirst();
  if (!s || s.deleted) {
    return { refusal: `The student of this ${words.noun} does not exist in this school (it may have been removed); ${words.notDone}.` };
  }
  const who = `${s.first_name} ${s.last_name} (${s.admission_no})`;
  if (s.status !== 'enrolled') return { refusal: `${who} is ${s.status}, not enrolled; ${words.onlyEnrolled}.` };
  return { student: { id: s.id, firstName: s.first_name, lastName: s.last_name, className: s.class_name, who } };
}
