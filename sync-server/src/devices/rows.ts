import { sql, type RawBuilder } from 'kysely';
import type { DeviceRow } from '../../../shared/domain/staff.js';

// Devices are synced to the school's office devices as DeviceRow: never the token hash.

/** The columns a DeviceRow is made of. */
export const DEVICE_ROW_COLUMNS = ['id', 'name', 'profile', 'receipt_series', 'enrolled_at', 'revoked_at'] as const;

/** Device timestamps are stored at millisecond precision, so the row the shape builds in SQL
 * and the one the change log gets from JavaScript are the same text. */
export const NOW_MS: RawBuilder<Date> = sql<Date>`date_trunc('milliseconds', now())`;

export function deviceRow(d: {
  id: string;
  name: string;
  profile: DeviceRow['profile'];
  receipt_series: string;
  enrolled_at: Date;
  revoked_at: Date | null;
}): DeviceRow {
  return {
    id: d.id,
    name: d.name,
    profile: d.profile,
    receipt_series: d.receipt_series,
    enrolled_at: new Date(d.enrolled_at).toISOString(),
    revoked_at: d.revoked_at ? new Date(d.revoked_at).toISOString() : null,
  };
}
