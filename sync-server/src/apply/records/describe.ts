import type { EditableTable } from '../../../../shared/sync/editable.js';

/** What users call a record of each table, for reasons shown in "needs attention". */
export const NOUN: Record<EditableTable, string> = {
  students: 'student',
  guardians: 'guardian',
  student_guardians: 'guardian link',
  classes: 'class',
  subjects: 'subject',
  class_subjects: 'subject of a class',
  student_subjects: 'optional subject enrolment',
  events: 'event',
  grading_scales: 'grading scale',
  assessments: 'assessment',
  scores: 'score',
  report_comments: 'report card comment',
  attendance_sessions: 'register',
  attendance_records: 'attendance mark',
};

export type Row = Record<string, unknown>;

export function studentName(row: Row): string {
  return `${String(row.first_name)} ${String(row.last_name)}`;
}

/** A record as a person would name it: the student's name, the class's name, "this score". */
export function describe(table: EditableTable, row: Row): string {
  switch (table) {
    case 'students':
      return studentName(row);
    case 'guardians':
    case 'classes':
    case 'subjects':
    case 'grading_scales':
    case 'assessments':
      return String(row.name);
    case 'events':
      return `the event "${String(row.title)}"`;
    default:
      return `this ${NOUN[table]}`;
  }
}
