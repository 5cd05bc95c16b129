import type { ChangeValue, SyncedTable } from '../../../shared/sync/protocol.js';
import { UnknownTableError, validateChange } from './apply-changes.js';

export interface CheckedBatch {
  changes: { table: SyncedTable; change: ChangeValue }[];
  /** Tables of changes set aside because this app does not know them. */
  unknownTables: string[];
}

/**
 * Checks one pulled batch. A change for a table this app does not know cannot be stored, but it
 * must not stop the school's sync forever either: it is set aside (the server serves a device
 * only its version's tables, so only a misbehaving server sends one) and named, so the status
 * bar can say to update. The updated app rebuilds its synced tables from a fresh snapshot, so
 * nothing set aside is lost. Any other bad change refuses the whole batch.
 */
export function checkPulled(values: readonly unknown[]): CheckedBatch {
  const changes: CheckedBatch['changes'] = [];
  const unknown = new Set<string>();
  for (const value of values) {
    try {
      changes.push(validateChange(value));
    } catch (e) {
      if (!(e instanceof UnknownTableError)) throw e;
      unknown.add(e.table);
    }
  }
  return { changes, unknownTables: [...unknown] };
}

export function describeUnknownTables(tables: readonly string[]): string {
  const names = tables.map((t) => `"${t}"`).join(', ');
  return `The server sent records this version of Schoolhouse does not know (${names}); they were skipped and the rest keeps syncing. Update Schoolhouse on this computer to see them.`;
}
