import { sql, type Kysely } from 'kysely';
import { AppError } from '../../../shared/api/errors.js';
import { uuidv7, randomToken } from '../../../shared/ids.js';
import type { EnrolRequest, EnrolResponse } from '../../../shared/sync/protocol.js';
import { sha256Hex } from '../auth/hash.js';
import { tenantOfEnrolmentCode } from '../db/lookups.js';
import type { ServerDatabase } from '../db/schema.js';
import { withTenant } from '../db/with-tenant.js';
import { allocateSeqs, appendChanges, CHANGES_CHANNEL, type ChangeOrigin } from '../changes/append.js';
import { DEVICE_ROW_COLUMNS, deviceRow, NOW_MS } from './rows.js';

const INVALID_CODE = 'That enrolment code is not valid for any school. Check it with the school administrator (codes are case-sensitive) and try again.';

/** Enrols a device with the school whose enrolment code it presents, giving it a token, the
 * code's profile and the next receipt series of that school (e.g. DEMO-D3), so its offline
 * receipts never clash. A single-use code is spent in the same transaction, and the new device
 * row (never its token) is a synced change, authored by whoever issued the code. */
export async function enrolDevice(db: Kysely<ServerDatabase>, input: EnrolRequest): Promise<EnrolResponse> {
  const codeHash = sha256Hex(input.enrolmentCode);
  const tenantId = await tenantOfEnrolmentCode(db, codeHash);
  if (!tenantId) throw new AppError('unauthenticated', INVALID_CODE);
  return withTenant(db, tenantId, async (trx) => {
    // Claims the code atomically: two devices racing for one single-use code, one wins.
    const code = await trx
      .updateTable('enrolment_codes')
      .set({ used_at: sql`case when reusable then used_at else now() end` })
      .where('tenant_id', '=', tenantId)
      .where('code_hash', '=', codeHash)
      .where((eb) => eb.or([eb('reusable', '=', true), eb('used_at', 'is', null)]))
      .where('expires_at', '>', sql<Date>`now()`)
      .returning(['profile', 'created_by'])
      .executeTakeFirst();
    if (!code) {
      throw new AppError('unauthenticated', 'That enrolment code has already been used or has expired. Ask the school administrator for a new code.');
    }
    const tenant = await trx
      .updateTable('tenants')
      .set({ next_device_no: sql`next_device_no + 1` })
      .where('id', '=', tenantId)
      .returning(['id', 'code', 'name', 'currency', 'time_zone', sql<number>`next_device_no - 1`.as('device_no')])
      .executeTakeFirstOrThrow();
    const token = randomToken(32);
    const deviceId = uuidv7();
    const receiptSeries = `${tenant.code}-D${tenant.device_no}`;
    const seq = await allocateSeqs(trx, tenantId, 1);
    const inserted = await trx
      .insertInto('devices')
      .values({
        tenant_id: tenant.id,
        id: deviceId,
        name: input.deviceName,
        token_hash: sha256Hex(token),
        receipt_series: receiptSeries,
        profile: code.profile,
        enrolled_at: NOW_MS,
        _seq: seq,
      })
      .returning(DEVICE_ROW_COLUMNS)
      .executeTakeFirstOrThrow();
    const row = deviceRow(inserted);
    await appendChanges(trx, tenantId, [{ seq, table: 'devices', rowId: deviceId, op: 'insert', row }], {
      mutationId: null,
      deviceId,
      authorId: code.created_by,
    });
    return {
      deviceId,
      token,
      receiptSeries,
      profile: code.profile,
      school: { id: tenant.id, name: tenant.name, currency: tenant.currency, timeZone: tenant.time_zone },
    };
  });
}

/** Admin action: the device's token stops working at once, and its waiting long-polls are
 * woken so they answer 401 now. The revocation is a synced change (the device row's new state).
 * Returns false if no such device is in this school; revoking twice changes nothing more. */
export async function revokeDevice(
  db: Kysely<ServerDatabase>,
  tenantId: string,
  deviceId: string,
  origin: Omit<ChangeOrigin, 'mutationId'> = { deviceId: null },
): Promise<boolean> {
  return withTenant(db, tenantId, async (trx) => {
    const current = await trx
      .selectFrom('devices')
      .select(['id', 'revoked_at'])
      .where('tenant_id', '=', tenantId)
      .where('id', '=', deviceId)
      .forUpdate()
      .executeTakeFirst();
    if (!current) return false;
    if (current.revoked_at === null) {
      const seq = await allocateSeqs(trx, tenantId, 1);
      const updated = await trx
        .updateTable('devices')
        .set({ revoked_at: NOW_MS, _seq: seq })
        .where('tenant_id', '=', tenantId)
        .where('id', '=', deviceId)
        .returning(DEVICE_ROW_COLUMNS)
        .executeTakeFirstOrThrow();
      await appendChanges(trx, tenantId, [{ seq, table: 'devices', rowId: deviceId, op: 'update', row: deviceRow(updated) }], { mutationId: null, ...origin });
    }
    await sql`select pg_notify(${CHANGES_CHANNEL}, ${tenantId})`.execute(trx);
    return true;
  });
}
