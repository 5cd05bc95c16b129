import type { Kysely, Transaction } from 'kysely';
import type { LocalDatabase } from '../store/database.js';
import { AppError } from '../../../shared/api/errors.js';
import { uuidv7 } from '../../../shared/ids.js';
import type { SessionUser } from '../../../shared/domain/staff.js';
import { studentGuardianId, type GuardianFields } from '../../../shared/domain/students.js';
import { saveRecords } from './save-records.js';

type Tx = Transaction<LocalDatabase>;

export interface LinkGuardian {
  studentId: string;
  guardianId?: string | undefined;
  details?: GuardianFields | undefined;
  relationship: string;
  paysFees: boolean;
}

async function requireStudent(tx: Tx, id: string): Promise<void> {
  const s = await tx.selectFrom('students').select('id').where('id', '=', id).where('deleted', '=', 0).executeTakeFirst();
  if (!s) throw new AppError('not_found', 'That student is not on this device any more. Sync, then try again.');
}

/** Adds a new guardian to a student, or links an existing one (a sibling's parent); also saves
 * edits to the guardian's details and to the link (relationship, who pays fees). */
export async function linkGuardian(db: Kysely<LocalDatabase>, author: SessionUser, input: LinkGuardian): Promise<string> {
  const guardianId = input.guardianId ?? uuidv7();
  await db.transaction().execute(async (tx) => {
    await requireStudent(tx, input.studentId);
    if (input.guardianId) {
      const g = await tx.selectFrom('guardians').select('id').where('id', '=', input.guardianId).where('deleted', '=', 0).executeTakeFirst();
      if (!g) throw new AppError('not_found', 'That guardian is not on this device any more. Search again, or add them as a new guardian.');
    }
    if (input.details) await saveRecords(tx, 'guardians', [{ id: guardianId, values: input.details }], author.id);
    await saveRecords(
      tx,
      'student_guardians',
      [{ id: studentGuardianId(input.studentId, guardianId), values: { student_id: input.studentId, guardian_id: guardianId, relationship: input.relationship, pays_fees: input.paysFees } }],
      author.id,
    );
  });
  return guardianId;
}

/** Removes a guardian from a student (a tombstone on the link; the guardian stays for siblings). */
export async function unlinkGuardian(db: Kysely<LocalDatabase>, author: SessionUser, studentId: string, guardianId: string): Promise<void> {
  const id = studentGuardianId(studentId, guardianId);
  await db.transaction().execute(async (tx) => {
    const link = await tx.selectFrom('student_guardians').select('id').where('id', '=', id).where('deleted', '=', 0).executeTakeFirst();
    if (!link) throw new AppError('not_found', 'That guardian is not linked to this student (someone may have removed the link already).');
    await saveRecords(tx, 'student_guardians', [{ id, values: {}, delete: true }], author.id);
  });
}
