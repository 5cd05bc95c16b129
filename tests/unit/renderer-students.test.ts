// The students and classes screens' own logic, without a window: what the profile, guardian and
// class forms send (or what they ask to fix), the bulk selection, the counts and the fees offer.
import { describe, expect, it } from 'vitest';
import { checkStudentDraft, draftFrom, emptyDraft, studentFieldOf } from '../../renderer/src/features/students/studentDraft.js';
import { checkGuardianDraft, EMPTY_GUARDIAN, guardianFieldOf } from '../../renderer/src/features/students/guardianDraft.js';
import { bulkResultText, bulkTarget, isTicked, NO_SELECTION, selectedCount, selectionText, toggled } from '../../renderer/src/features/students/selection.js';
import { countText } from '../../renderer/src/features/students/labels.js';
import { structureToOffer } from '../../renderer/src/features/students/feesOffer.js';
import { studentFilter } from '../../renderer/src/features/students/useStudentPages.js';
import { checkClassDraft, classesCsv, classFieldOf, emptyClassDraft, levelFromGrade, subjectsCsv } from '../../renderer/src/features/classes/classDraft.js';
import type { FeeStructureView } from '../../shared/domain/bursary-views.js';
import type { ClassView } from '../../shared/domain/student-views.js';

const TODAY = '2027-03-01';

describe('the student form', () => {
  const filled = { ...emptyDraft(), admission_no: ' KHS/2027/1 ', first_name: ' Amina ', last_name: 'Achieng', date_of_birth: '2015-03-14', gender: 'female' as const };

  it('sends trimmed values, empty boxes as null', () => {
    const check = checkStudentDraft(filled, TODAY);
    expect(check).toEqual({
      ok: true,
      values: { admission_no: 'KHS/2027/1', first_name: 'Amina', middle_name: null, last_name: 'Achieng', date_of_birth: '2015-03-14', gender: 'female', class_id: null, status: 'enrolled', photo_file: null, medical_notes: null },
    });
    // A saved profile comes back to the same form.
    if (check.ok) expect(draftFrom(check.values)).toEqual({ ...filled, admission_no: 'KHS/2027/1', first_name: 'Amina' });
  });

  it('names each box to fix: missing names, a bad number, a date that does not exist or is in the future', () => {
    const check = checkStudentDraft({ ...emptyDraft(), admission_no: '#1', date_of_birth: '2015-02-30' }, TODAY);
    expect(check.ok).toBe(false);
    if (check.ok) return;
    expect(Object.keys(check.problems).sort()).toEqual(['admission_no', 'date_of_birth', 'first_name', 'last_name']);
    expect(check.problems.date_of_birth).toMatch(/2015-02-30 is not a date that exists/);
    const future = checkStudentDraft({ ...filled, date_of_birth: '2027-03-02' }, TODAY);
    expect(!future.ok && future.problems.date_of_birth).toMatch(/in the future \(today is 2027-03-01\)/);
  });

  it("puts core's findings under their boxes", () => {
    expect(studentFieldOf('values.admission_no')).toBe('admission_no');
    expect(studentFieldOf('values.nonsense')).toBeUndefined();
  });
});

describe('the guardian form', () => {
  it('checks name, phones, email and relationship', () => {
    const bad = checkGuardianDraft({ ...EMPTY_GUARDIAN, phone: 'call me', email: 'x@' }, '');
    expect(bad.values).toBeNull();
    expect(Object.keys(bad.problems).sort()).toEqual(['email', 'name', 'phone', 'relationship']);
    const ok = checkGuardianDraft({ ...EMPTY_GUARDIAN, name: ' Mary ', phone: '+254 712 345 678' }, 'Mother');
    expect(ok.values).toEqual({ name: 'Mary', phone: '+254 712 345 678', alt_phone: null, email: null, address: null });
    expect(guardianFieldOf('details.phone')).toBe('phone');
    expect(guardianFieldOf('relationship')).toBe('relationship');
  });
});

describe('bulk selection', () => {
  it('ticks rows, or all matching the filter, and says what is selected', () => {
    const a = toggled(toggled(NO_SELECTION, 'a'), 'b');
    expect(selectedCount(a)).toBe(2);
    expect(isTicked(a, 'a')).toBe(true);
    expect(selectedCount(toggled(a, 'a'))).toBe(1);
    expect(bulkTarget(a, { status: 'enrolled' })).toEqual({ ids: ['a', 'b'] });
    expect(selectionText(a)).toBe('2 selected');

    const all = { kind: 'all' as const, total: 1204 };
    expect(isTicked(all, 'anyone')).toBe(true);
    expect(bulkTarget(all, { classId: 'c' })).toEqual({ filter: { classId: 'c' } });
    expect(selectionText(all)).toBe('All 1,204 matching selected');
    // Unticking one row of "all matching" clears it: the list does not hold every id.
    expect(toggled(all, 'x')).toEqual(NO_SELECTION);
  });

  it('reports how many changed and how many already had it', () => {
    expect(bulkResultText({ selected: 40, changed: 38 }, 'Moved {n} to Grade 5 A')).toBe('Moved 38 students to Grade 5 A; 2 students already had that.');
    expect(bulkResultText({ selected: 1, changed: 1 }, 'Marked {n} withdrawn')).toBe('Marked 1 student withdrawn.');
  });

  it('sends the list filter with empty boxes left out', () => {
    expect(studentFilter({ search: '  ', status: '', classId: 'c1', gender: 'male' })).toEqual({ search: undefined, status: undefined, classId: 'c1', gender: 'male' });
  });
});

describe('counts', () => {
  it('shows "n of total" only when the list is narrowed', () => {
    expect(countText(null, null)).toBe('\u00a0');
    expect(countText(1204, 1204)).toBe('1,204 students');
    expect(countText(48, 1204)).toBe('48 of 1,204 students');
    expect(countText(1, 1)).toBe('1 student');
  });
});

describe('the fees offer', () => {
  const structure = (over: Partial<FeeStructureView>): FeeStructureView => ({
    id: 's1',
    className: 'Grade 4 A',
    term: 'Term 1 2027',
    active: true,
    items: [],
    totalMinor: 0,
    studentsInClass: 0,
    studentsCharged: 0,
    ...over,
  } as FeeStructureView);

  it("offers the class's active structure for the current term only", () => {
    const list = [structure({ id: 'old', term: 'Term 3 2026' }), structure({ id: 'off', active: false }), structure({ id: 'now', className: 'grade 4 a' })];
    expect(structureToOffer('Grade 4 A', list, 'Term 1 2027')?.id).toBe('now');
    expect(structureToOffer('Grade 5 A', list, 'Term 1 2027')).toBeNull();
    expect(structureToOffer('Grade 4 A', list, null)).toBeNull();
    expect(structureToOffer(null, list, 'Term 1 2027')).toBeNull();
  });
});

describe('the class form and exports', () => {
  it('takes the level from the grade, checks numbers, and names the boxes', () => {
    expect(levelFromGrade('Grade 4')).toBe('4');
    expect(levelFromGrade('Form 2 (science)')).toBe('2');
    expect(levelFromGrade('Nursery')).toBe('');
    const bad = checkClassDraft({ ...emptyClassDraft(2027), level: 'four', academic_year: '27' });
    expect(Object.keys(bad.problems).sort()).toEqual(['academic_year', 'grade', 'level']);
    const ok = checkClassDraft({ ...emptyClassDraft(2027), grade: ' Grade 4 ', level: '4', stream: 'A' });
    expect(ok.values).toEqual({ grade: 'Grade 4', level: 4, stream: 'A', academic_year: 2027, class_teacher_id: null, grading_scale_id: null });
    expect(classFieldOf('values.stream')).toBe('stream');
  });

  it('exports classes and subjects as formula-safe CSV', () => {
    const cls: ClassView = { id: 'c', name: 'Grade 4 A', values: { grade: 'Grade 4', level: 4, stream: 'A', academic_year: 2027, class_teacher_id: null, grading_scale_id: null }, teacherName: '=cmd()', enrolled: 31, subjects: [] };
    const csv = classesCsv([cls]);
    expect(csv.split(/\r?\n/)[0]).toBe('Class,Grade,Level,Stream,Academic year,Class teacher,Enrolled');
    expect(csv).toContain('Grade 4 A,Grade 4,4,A,2027,');
    expect(csv).not.toMatch(/,=cmd/);
    expect(subjectsCsv([{ id: 's', values: { name: 'Mathematics', code: 'MATH' } }]).split(/\r?\n/)[1]).toBe('Mathematics,MATH');
  });
});
