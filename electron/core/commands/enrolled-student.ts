import type { Transaction } from 'kysely';
import type { LocalDatabase } from '../store/database.js';
import { AppError } from '../../../shared/api/errors.js';

/** The student a ledger entry is for, who must be on this device and enrolled (the server
 * checks the same). Returns the name people know the student by, for messages. */
export async function requireEnrolledStudent(tx: Transaction<LocalDatabase>, studentId: string, onlyEnrolled: string): Promise<string> {
  const student = await tx
    .selectFrom('students')
    .select(['status', 'first_name', 'last_name', 'admission_no'])
    .where('id', '=', studentId)
    .executeTakeFirst();
  if (!student) throw new AppError('not_found', 'That student is not on this device. Search again, or sync to fetch new students.');
  const name = `${student.first_name} ${student.last_name} (${student.admission_no})`;
  if (student.status !== 'enrolled') throw new AppError('conflict', `${name} is ${student.status}; ${onlyEnrolled}.`);
  return name;
}
