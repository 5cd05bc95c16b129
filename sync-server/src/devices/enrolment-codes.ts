import { randomInt } from 'node:crypto';
import type { DeviceProfile } from '../../../shared/domain/permissions.js';
import type { EnrolmentCode } from '../../../shared/sync/protocol.js';
import { sha256Hex } from '../auth/hash.js';
import type { TenantTrx } from '../db/with-tenant.js';

/** No 0/O, 1/I/L or 5/S: codes are read aloud and typed from a sheet of paper. */
const ALPHABET = '2346789ABCDEFGHJKMNPQRTUVWXYZ';
export const CODE_VALID_DAYS = 7;

/** e.g. 7KQM-2XRT-9PLA: 12 characters from 29, about 58 bits; guessing is also rate-limited. */
export function newEnrolmentCode(): string {
  const chars = Array.from({ length: 12 }, () => ALPHABET[randomInt(ALPHABET.length)]!);
  return [0, 4, 8].map((i) => chars.slice(i, i + 4).join('')).join('-');
}

/** Stores an enrolment code (its hash only) for this school. */
export async function storeEnrolmentCode(
  trx: TenantTrx,
  tenantId: string,
  input: { code: string; profile: DeviceProfile; reusable?: boolean; expiresAt?: Date; createdBy?: string | null },
): Promise<EnrolmentCode> {
  const expiresAt = input.expiresAt ?? new Date(Date.now() + CODE_VALID_DAYS * 24 * 3600 * 1000);
  await trx
    .insertInto('enrolment_codes')
    .values({
      tenant_id: tenantId,
      code_hash: sha256Hex(input.code),
      profile: input.profile,
      expires_at: expiresAt,
      reusable: input.reusable ?? false,
      created_by: input.createdBy ?? null,
    })
    .execute();
  return { code: input.code, profile: input.profile, expiresAt: expiresAt.toISOString() };
}

/** Issues a fresh single-use code, valid for CODE_VALID_DAYS. */
export async function issueEnrolmentCode(trx: TenantTrx, tenantId: string, profile: DeviceProfile, createdBy: string | null): Promise<EnrolmentCode> {
  return storeEnrolmentCode(trx, tenantId, { code: newEnrolmentCode(), profile, createdBy });
}
