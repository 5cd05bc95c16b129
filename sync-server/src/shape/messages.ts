import type { LogRow } from './read-changes.js';

/** A shape message as Electric sends it. Column values are text, as PostgreSQL's text format
 * gives them; the client parses each by the type in the electric-schema header. */
export type ShapeMessage =
  | { key: string; value: Record<string, string | null>; headers: { operation: 'insert' | 'delete' } }
  | { headers: { control: 'up-to-date' | 'must-refetch' } };

export function changeMessage(r: LogRow): ShapeMessage {
  return {
    key: `"${r.table_name}"/"${r.id}"`,
    value: { table: r.table_name, id: r.id, seq: String(r.seq), deleted: r.deleted ? 'true' : 'false', row: r.row },
    // Each message carries the row's full state, so "insert" (an upsert on the device) is
    // right whether or not the device has seen the row before.
    headers: { operation: r.deleted ? 'delete' : 'insert' },
  };
}

export const UP_TO_DATE: ShapeMessage = { headers: { control: 'up-to-date' } };
export const MUST_REFETCH: ShapeMessage = { headers: { control: 'must-refetch' } };
