// The Conflicts screen's links to a student (a duplicate admission number's "Open the other
// student", and the student itself) open the Students screen on the profile, where the number is
// fixed, even for whoever sees payments, whose students otherwise open on their fees.
import { beforeEach, describe, expect, it } from 'vitest';
import { StudentListItem } from '../../shared/domain/students.js';
import { useNav } from '../../renderer/src/features/nav/store.js';
import { openProfile } from '../../renderer/src/features/students/openProfile.js';
import { useStudents } from '../../renderer/src/features/students/store.js';

const amani = StudentListItem.parse({ id: 's-amani', admissionNo: 'DUP/KHS/001', firstName: 'Amani', lastName: 'Kariuki', className: 'Grade 4 A', status: 'enrolled', guardianPhone: null });
const baraka = StudentListItem.parse({ ...amani, id: 's-baraka', firstName: 'Baraka', lastName: 'Mwangi' });

describe('opening a student from a conflict', () => {
  beforeEach(() => {
    useStudents.getState().reset();
    useNav.getState().go('conflicts');
  });

  it('a bursar, who picks students on their fees, is taken to the profile of the student named', () => {
    useStudents.getState().select(baraka);
    expect(useStudents.getState().tab).toBe('fees');
    openProfile(amani);
    expect(useNav.getState().screen).toBe('students');
    expect(useStudents.getState()).toMatchObject({ selected: amani, tab: 'profile', creating: false });
  });

  it('closes a new-student form left open, and the next student picked in the list stays on the profile', () => {
    useStudents.getState().setCreating(true);
    openProfile(amani);
    expect(useStudents.getState()).toMatchObject({ selected: amani, tab: 'profile', creating: false });
    useStudents.getState().select(baraka);
    expect(useStudents.getState()).toMatchObject({ selected: baraka, tab: 'profile' });
  });

  it('the Fees tab chosen by hand is kept when picking students, and signing out goes back to fees first', () => {
    useStudents.getState().setTab('profile');
    useStudents.getState().setTab('fees');
    useStudents.getState().select(amani);
    expect(useStudents.getState().tab).toBe('fees');
    openProfile(baraka);
    useStudents.getState().reset();
    expect(useStudents.getState()).toMatchObject({ selected: null, tab: 'fees' });
  });
});
