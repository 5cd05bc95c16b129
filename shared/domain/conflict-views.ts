import { z } from 'zod';
import { ConflictKind, ConflictResolution } from './conflicts.js';

// The Conflicts screen: what the server merged that a person should look at, in words.

export const ConflictCursor = z.object({ at: z.string(), id: z.string() });
export type ConflictCursor = z.infer<typeof ConflictCursor>;

export const ConflictsListInput = z.object({
  /** Open ones (oldest first, to work through) or resolved ones (latest resolved first). */
  state: z.enum(['open', 'resolved']),
  after: ConflictCursor.nullable().default(null),
  limit: z.int().min(1).max(200).default(50),
});
export type ConflictsListInput = z.input<typeof ConflictsListInput>;

/** One side of a conflict: a value and who wrote it, from which computer. */
export const ConflictSide = z.object({ value: z.string(), by: z.string(), device: z.string() });

export const ConflictItem = z.object({
  id: z.string(),
  kind: ConflictKind,
  table: z.string(),
  rowId: z.string(),
  /** The record in words: "Amina Achieng (KHS/2026/00012)", "Grade 4 A register, 2026-11-20: Brian Baraka". */
  record: z.string(),
  fieldLabel: z.string(),
  kept: ConflictSide,
  replaced: ConflictSide,
  raisedAt: z.string(),
  /** A duplicate: the record that had the value first (a student, for admission numbers). */
  other: z.object({ rowId: z.string(), record: z.string() }).nullable(),
  /** Students the screen links to (the record's own student, and the other one of a duplicate). */
  studentIds: z.array(z.string()),
  resolution: ConflictResolution.nullable(),
  resolvedAt: z.string().nullable(),
  resolvedBy: z.string().nullable(),
});
export type ConflictItem = z.infer<typeof ConflictItem>;

export const ConflictsPage = z.object({ rows: z.array(ConflictItem), next: ConflictCursor.nullable(), openCount: z.int() });
export type ConflictsPage = z.infer<typeof ConflictsPage>;

export const ResolveConflictInput = z.object({ id: z.uuid(), resolution: ConflictResolution });

const FIELD_LABELS: Record<string, string> = {
  admission_no: 'Admission number',
  date_of_birth: 'Date of birth',
  class_id: 'Class',
  photo_file: 'Photo',
  alt_phone: 'Other phone',
  email: 'Email',
  pays_fees: 'Pays fees',
  class_teacher_id: 'Class teacher',
  grading_scale_id: 'Grading scale',
  teacher_id: 'Teacher',
  subject_id: 'Subject',
  academic_year: 'Academic year',
  starts_on: 'Starts on',
  ends_on: 'Ends on',
  max_score: 'Most marks',
  taken_by: 'Taken by',
  is_default: 'Default scale',
  deleted: 'Removed',
};

/** "middle_name" → "Middle name", with the names people use where they differ from the column's. */
export function fieldLabel(field: string): string {
  const label = FIELD_LABELS[field];
  if (label) return label;
  const words = field.replace(/_id$/, '').replace(/_/g, ' ');
  return words.charAt(0).toUpperCase() + words.slice(1);
}

/** A stored value (JSON text) in words; ids are named by `names` when the caller knows them. */
export function valueWords(json: string, field: string, names: ReadonlyMap<string, string>): string {
  let v: unknown;
  try {
    v = JSON.parse(json);
  } catch {
    return json;
  }
  if (v === null || v === '') return '(empty)';
  if (field === 'deleted' && typeof v === 'boolean') return v ? 'Removed' : 'Not removed';
  if (typeof v === 'boolean') return v ? 'Yes' : 'No';
  if (typeof v === 'string') return names.get(v) ?? v;
  if (typeof v === 'number') return String(v);
  return JSON.stringify(v);
}
