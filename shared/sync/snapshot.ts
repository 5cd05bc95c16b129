import type { SyncedTable } from './protocol.js';

// A first sync (offset -1, also a rebuild after must-refetch) sends the school in two phases:
// the CURRENT records first (everything a user needs to sign in, find a student, see classes
// and fee set-up), then HISTORY (the ledger, registers, marks, messages and logs). A device is
// usable once phase 1 is in, while history keeps streaming. After history the normal log
// continues from where phase 1 ended, so changes made during the snapshot arrive too.

/** Which phase of a snapshot sends each table. A Record, so a new synced table must be placed. */
export const SNAPSHOT_PHASE: Record<SyncedTable, 'current' | 'history'> = {
  roles: 'current',
  staff: 'current',
  devices: 'current',
  terms: 'current',
  students: 'current',
  fee_categories: 'current',
  fee_structures: 'current',
  classes: 'current',
  subjects: 'current',
  class_subjects: 'current',
  student_subjects: 'current',
  guardians: 'current',
  student_guardians: 'current',
  events: 'current',
  grading_scales: 'current',
  assessments: 'current',
  charges: 'history',
  payments: 'history',
  discounts: 'history',
  refunds: 'history',
  expenses: 'history',
  expense_approvals: 'history',
  voids: 'history',
  cash_ups: 'history',
  login_history: 'history',
  scores: 'history',
  report_comments: 'history',
  attendance_sessions: 'history',
  attendance_records: 'history',
  messages: 'history',
  message_reads: 'history',
  record_conflicts: 'history',
};

export function tablesOfPhase(tables: readonly SyncedTable[], phase: 'current' | 'history'): SyncedTable[] {
  return tables.filter((t) => SNAPSHOT_PHASE[t] === phase);
}

/**
 * Where a device is in the shape. Electric treats offsets as opaque `${number}_${number}`
 * strings, so the position is carried in them and any server process can continue it:
 *   `X_0`        the change log after seq X (every table, tombstones included);
 *   `X_1`        snapshot phase 1: current tables' rows with _seq > X;
 *   `X_{A+2}`    snapshot phase 2: history tables' rows with _seq > X, phase 1 having ended
 *                at the school's seq A; when it is done the log continues from A.
 */
export type ShapePosition =
  | { kind: 'log'; seq: number }
  | { kind: 'current'; seq: number }
  | { kind: 'history'; seq: number; currentEnd: number };

const POSITION_PATTERN = /^(\d{1,15})_(\d{1,15})$/;

export function formatPosition(p: ShapePosition): string {
  switch (p.kind) {
    case 'log':
      return `${p.seq}_0`;
    case 'current':
      return `${p.seq}_1`;
    case 'history':
      return `${p.seq}_${p.currentEnd + 2}`;
  }
}

/** The position an offset string names, or null when it is not one this protocol hands out. */
export function parsePosition(raw: string): ShapePosition | null {
  const m = POSITION_PATTERN.exec(raw);
  if (!m) return null;
  const seq = Number(m[1]);
  const phase = Number(m[2]);
  if (phase === 0) return { kind: 'log', seq };
  if (phase === 1) return { kind: 'current', seq };
  return { kind: 'history', seq, currentEnd: phase - 2 };
}

/** Response header of the first snapshot request (offset -1): how many rows the snapshot will
 * send, counted when it starts, for the device's progress bar. */
export const ROWS_TOTAL_HEADER = 'schoolhouse-rows-total';
