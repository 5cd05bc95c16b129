import { createHmac, timingSafeEqual } from 'node:crypto';

// A minimal HS256 JWT: the only tokens this server issues are its own short-lived staff access
// tokens, so a library's algorithm negotiation is a risk, not a feature. Only HS256 is accepted.

export interface StaffClaims {
  /** Staff id. */
  sub: string;
  /** Tenant (school) id. */
  tid: string;
  /** Device id the staff member signed in on: the token is valid only with that device's token. */
  did: string;
  /** The password's change time (ms) when the token was issued: changing or resetting the
   * password revokes every token issued before, without a token list to keep. */
  pwd: number;
  iat: number;
  exp: number;
}

export const ACCESS_TOKEN_TTL_SECONDS = 15 * 60;
const HEADER = Buffer.from(JSON.stringify({ alg: 'HS256', typ: 'JWT' })).toString('base64url');

function sign(input: string, secret: string): Buffer {
  return createHmac('sha256', secret).update(input).digest();
}

export function signStaffToken(claims: Omit<StaffClaims, 'iat' | 'exp'>, secret: string, now = Date.now()): { token: string; expiresAt: Date } {
  const iat = Math.floor(now / 1000);
  const exp = iat + ACCESS_TOKEN_TTL_SECONDS;
  const payload = Buffer.from(JSON.stringify({ ...claims, iat, exp })).toString('base64url');
  const input = `${HEADER}.${payload}`;
  return { token: `${input}.${sign(input, secret).toString('base64url')}`, expiresAt: new Date(exp * 1000) };
}

/** The claims of a valid, unexpired token, or a reason it is not one. */
export function verifyStaffToken(token: string, secret: string, now = Date.now()): StaffClaims | { invalid: string } {
  const parts = token.split('.');
  if (parts.length !== 3) return { invalid: 'malformed' };
  const [header, payload, signature] = parts as [string, string, string];
  if (header !== HEADER) return { invalid: 'unsupported header' };
  const expected = sign(`${header}.${payload}`, secret);
  const given = Buffer.from(signature, 'base64url');
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return { invalid: 'bad signature' };
  let claims: unknown;
  try {
    claims = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8'));
  } catch {
    return { invalid: 'malformed' };
  }
  const c = claims as Partial<StaffClaims>;
  if (typeof c.sub !== 'string' || typeof c.tid !== 'string' || typeof c.did !== 'string' || typeof c.pwd !== 'number' || typeof c.exp !== 'number' || typeof c.iat !== 'number') {
    return { invalid: 'missing claims' };
  }
  if (c.exp * 1000 <= now) return { invalid: 'expired' };
  return c as StaffClaims;
}
