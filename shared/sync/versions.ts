import { AppError } from '../api/errors.js';
import { SYNCED_TABLES, type SyncedTable } from './protocol.js';

/**
 * The sync protocol's history: each version names the synced tables (and the columns of older
 * tables) it introduced. A device states its version on every shape request, and the server
 * serves it only the tables that version knows. Bump the version, with a new entry here, in the
 * same change that adds a synced table or column.
 *
 * Versions follow the store's history: 1 the first students and payments (0001), 2 staff and
 * devices (0002-0003), 3 the first ledger (0004), 4 the complete bursary (0006), 5 the school
 * office (0007).
 */
export const PROTOCOL_HISTORY = [
  { version: 1, tables: ['students', 'payments'], columns: {} },
  { version: 2, tables: ['roles', 'staff', 'login_history', 'devices'], columns: {} },
  { version: 3, tables: ['fee_categories', 'charges', 'voids'], columns: {} },
  {
    version: 4,
    tables: ['terms', 'fee_structures', 'discounts', 'refunds', 'expenses', 'expense_approvals', 'cash_ups'],
    columns: { charges: ['structure_id'], payments: ['recorded_by_id', 'allocations'] },
  },
  {
    version: 5,
    tables: [
      'classes',
      'subjects',
      'class_subjects',
      'student_subjects',
      'guardians',
      'student_guardians',
      'events',
      'grading_scales',
      'assessments',
      'scores',
      'report_comments',
      'attendance_sessions',
      'attendance_records',
      'messages',
      'message_reads',
      'record_conflicts',
    ],
    columns: { students: ['middle_name', 'date_of_birth', 'gender', 'class_id', 'photo_file', 'medical_notes', 'deleted', 'meta'] },
  },
] as const satisfies readonly { version: number; tables: readonly SyncedTable[]; columns: Partial<Record<SyncedTable, readonly string[]>> }[];

/** The version this build of the app speaks. */
export const PROTOCOL_VERSION: number = PROTOCOL_HISTORY[PROTOCOL_HISTORY.length - 1]!.version;

/** What a device that states no version is: every build before versions were stated knew all of
 * version 5's tables. */
export const UNSTATED_PROTOCOL_VERSION = 5;

/** The shape request parameter carrying the version (not one of Electric's reserved names). */
export const PROTOCOL_VERSION_PARAM = 'v';

/** The protocol version that introduced each synced table. */
export const TABLE_SINCE: Record<SyncedTable, number> = Object.fromEntries(
  PROTOCOL_HISTORY.flatMap((h) => h.tables.map((t) => [t, h.version])),
) as Record<SyncedTable, number>;

/** The tables of `tables` (a device's profile) that a device speaking `version` knows, in order. */
export function tablesKnownAt(version: number, tables: readonly SyncedTable[] = SYNCED_TABLES): SyncedTable[] {
  return tables.filter((t) => TABLE_SINCE[t] <= version);
}

/** The columns of `table` introduced after `version` (a device of that version does not store them). */
export function columnsAfter(version: number, table: SyncedTable): string[] {
  return PROTOCOL_HISTORY.filter((h) => h.version > version).flatMap((h) => (h.columns as Partial<Record<SyncedTable, readonly string[]>>)[table] ?? []);
}

/** Reads the `v` parameter of a shape request: absent means a build from before versions were stated. */
export function parseProtocolVersion(raw: unknown): number {
  if (raw === undefined) return UNSTATED_PROTOCOL_VERSION;
  const n = typeof raw === 'string' && /^\d{1,6}$/.test(raw) ? Number(raw) : NaN;
  if (!Number.isInteger(n) || n < 1) {
    throw new AppError('invalid_input', `The "${PROTOCOL_VERSION_PARAM}" parameter ${JSON.stringify(raw)} is not a protocol version: send one whole number from 1 to ${PROTOCOL_VERSION}, once.`);
  }
  if (n > PROTOCOL_VERSION) {
    throw new AppError('invalid_input', `This app speaks sync protocol ${n}, newer than this sync server (up to ${PROTOCOL_VERSION}): update the sync server to the app's version.`);
  }
  return n;
}
