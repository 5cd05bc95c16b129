import type { StudentListItem } from '../../../../shared/domain/students';
import { useNav } from '../nav/store';
import { useStudents } from './store';

/** Takes another screen (a conflict to put right) to a student's profile on the Students screen:
 * the profile even for whoever sees payments, whose students otherwise open on their fees. */
export function openProfile(student: StudentListItem): void {
  useStudents.getState().select(student, 'profile');
  useNav.getState().go('students');
}
