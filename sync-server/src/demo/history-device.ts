import { sql } from 'kysely';
import { allocateSeqs, appendChanges } from '../changes/append.js';
import type { TenantTrx } from '../db/with-tenant.js';
import { DEVICE_ROW_COLUMNS, deviceRow } from '../devices/rows.js';
import { stableUuid } from './prng.js';

// The office computer the demo's payment history was taken on. It is stored as enrolDevice
// stores a device (the school's next receipt series, a synced devices row) but no token was ever
// issued for it: its token hash is not a SHA-256 digest, so no token can match it, and it is
// revoked from the start, so even the device lookup would refuse it. No enrolment code names it.

export const DEMO_HISTORY_DEVICE = {
  id: stableUuid('demo', 'history-device'),
  name: 'Bursar office (history)',
} as const;

export async function historyDeviceExists(trx: TenantTrx, tenantId: string): Promise<boolean> {
  const found = await trx.selectFrom('devices').select('id').where('tenant_id', '=', tenantId).where('id', '=', DEMO_HISTORY_DEVICE.id).executeTakeFirst();
  return found !== undefined;
}

/** Adds the history device, enrolled at `enrolledAt` and revoked at `revokedAt`; returns its
 * receipt series. */
export async function insertHistoryDevice(trx: TenantTrx, tenantId: string, at: { enrolledAt: string; revokedAt: string }): Promise<string> {
  const tenant = await trx
    .updateTable('tenants')
    .set({ next_device_no: sql`next_device_no + 1` })
    .where('id', '=', tenantId)
    .returning(['code', sql<number>`next_device_no - 1`.as('device_no')])
    .executeTakeFirstOrThrow();
  const receiptSeries = `${tenant.code}-D${tenant.device_no}`;
  const seq = await allocateSeqs(trx, tenantId, 1);
  const inserted = await trx
    .insertInto('devices')
    .values({
      tenant_id: tenantId,
      id: DEMO_HISTORY_DEVICE.id,
      name: DEMO_HISTORY_DEVICE.name,
      token_hash: `never-issued:${DEMO_HISTORY_DEVICE.id}`,
      receipt_series: receiptSeries,
      profile: 'office',
      enrolled_at: at.enrolledAt,
      revoked_at: at.revokedAt,
      _seq: seq,
    })
    .returning(DEVICE_ROW_COLUMNS)
    .executeTakeFirstOrThrow();
  await appendChanges(trx, tenantId, [{ seq, table: 'devices', rowId: DEMO_HISTORY_DEVICE.id, op: 'insert', row: deviceRow(inserted) }], {
    mutationId: null,
    deviceId: DEMO_HISTORY_DEVICE.id,
  });
  return receiptSeries;
}
