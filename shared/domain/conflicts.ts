import { z } from 'zod';

export const CONFLICT_KINDS = ['overwritten', 'duplicate'] as const;
export const ConflictKind = z.enum(CONFLICT_KINDS);

export const CONFLICT_RESOLUTIONS = ['kept', 'restored'] as const;
export const ConflictResolution = z.enum(CONFLICT_RESOLUTIONS);
export type ConflictResolution = z.infer<typeof ConflictResolution>;

/**
 * Something the server merged that a person should look at (DESIGN §3), raised by the server:
 * - overwritten: a field changed by two people offline; the newer write (in server order) was
 *   kept, the older value is here to be restored if it was the right one;
 * - duplicate: a value that must be unique (an admission number) given to two records offline;
 *   both were saved, `other_row_id` is the record that had it first.
 * Values are JSON text. The server marks a conflict resolved; it never deletes one.
 */
export const ConflictRow = z.object({
  id: z.uuid(),
  kind: ConflictKind,
  table_name: z.string().max(40),
  row_id: z.uuid(),
  field: z.string().max(40),
  kept_value: z.string(),
  lost_value: z.string(),
  kept_by: z.uuid().nullable(),
  kept_device: z.uuid().nullable(),
  lost_by: z.uuid().nullable(),
  lost_device: z.uuid().nullable(),
  other_row_id: z.uuid().nullable(),
  raised_at: z.string(),
  resolved_at: z.string().nullable(),
  resolved_by: z.uuid().nullable(),
  resolution: ConflictResolution.nullable(),
});
export type ConflictRow = z.infer<typeof ConflictRow>;
