import { createHash } from 'node:crypto';

/** Secrets (device tokens, enrolment codes) are stored only as their SHA-256: they are long
 * random values, so a fast hash suffices and lookup by hash stays an index scan. */
export function sha256Hex(secret: string): string {
  return createHash('sha256').update(secret, 'utf8').digest('hex');
}
