import { sql, type Kysely } from 'kysely';
import { AppError } from '../../../shared/api/errors.js';
import { uuidv7, randomToken } from '../../../shared/ids.js';
import type { EnrolRequest, EnrolResponse } from '../../../shared/sync/protocol.js';
import { sha256Hex } from '../auth/hash.js';
import type { ServerDatabase } from '../db/schema.js';

/** Enrols a device with the school whose enrolment code it presents, giving it a token and
 * the next receipt series of that school (e.g. DEMO-D3), so its offline receipts never clash. */
export async function enrolDevice(db: Kysely<ServerDatabase>, input: EnrolRequest): Promise<EnrolResponse> {
  return db.transaction().execute(async (trx) => {
    const tenant = await trx
      .updateTable('tenants')
      .set({ next_device_no: sql`next_device_no + 1` })
      .where('enrolment_code_hash', '=', sha256Hex(input.enrolmentCode))
      .returning(['id', 'code', 'name', 'currency', sql<number>`next_device_no - 1`.as('device_no')])
      .executeTakeFirst();
    if (!tenant) {
      throw new AppError(
        'unauthenticated',
        'That enrolment code is not valid for any school. Check it with the school administrator (codes are case-sensitive) and try again.',
      );
    }
    const token = randomToken(32);
    const deviceId = uuidv7();
    const receiptSeries = `${tenant.code}-D${tenant.device_no}`;
    await trx
      .insertInto('devices')
      .values({ tenant_id: tenant.id, id: deviceId, name: input.deviceName, token_hash: sha256Hex(token), receipt_series: receiptSeries })
      .execute();
    return { deviceId, token, receiptSeries, school: { id: tenant.id, name: tenant.name, currency: tenant.currency } };
  });
}

/** Admin action: the device's token stops working at once. */
export async function revokeDevice(db: Kysely<ServerDatabase>, tenantId: string, deviceId: string): Promise<void> {
  await db.updateTable('devices').set({ revoked_at: new Date() }).where('tenant_id', '=', tenantId).where('id', '=', deviceId).execute();
}
