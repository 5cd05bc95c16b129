import type { Kysely } from 'kysely';
import type { DeviceSummary } from '../../../shared/sync/protocol.js';
import type { ServerDatabase } from '../db/schema.js';
import { withTenant } from '../db/with-tenant.js';

const COLUMNS = ['id', 'name', 'profile', 'receipt_series', 'enrolled_at', 'revoked_at'] as const;

function summary(d: { id: string; name: string; profile: DeviceSummary['profile']; receipt_series: string; enrolled_at: Date; revoked_at: Date | null }): DeviceSummary {
  return {
    id: d.id,
    name: d.name,
    profile: d.profile,
    receiptSeries: d.receipt_series,
    enrolledAt: new Date(d.enrolled_at).toISOString(),
    revokedAt: d.revoked_at ? new Date(d.revoked_at).toISOString() : null,
  };
}

export async function listDevices(db: Kysely<ServerDatabase>, tenantId: string): Promise<DeviceSummary[]> {
  const rows = await withTenant(db, tenantId, (trx) =>
    trx.selectFrom('devices').select(COLUMNS).where('tenant_id', '=', tenantId).orderBy('enrolled_at').orderBy('id').execute(),
  );
  return rows.map(summary);
}

export async function deviceSummary(db: Kysely<ServerDatabase>, tenantId: string, deviceId: string): Promise<DeviceSummary | undefined> {
  const row = await withTenant(db, tenantId, (trx) =>
    trx.selectFrom('devices').select(COLUMNS).where('tenant_id', '=', tenantId).where('id', '=', deviceId).executeTakeFirst(),
  );
  return row && summary(row);
}
