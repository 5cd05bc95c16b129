// UUIDv7 ids made on the device: records created offline never collide and sort by creation time.
// Uses only Web Crypto (present in Node 20+, browsers and Electron), so this file stays in the common layer.

let lastMs = -1;
let lastRand = new Uint8Array(10);

function hex(bytes: Uint8Array): string {
  let out = '';
  for (const b of bytes) out += b.toString(16).padStart(2, '0');
  return out;
}

// Within one millisecond the random tail is incremented instead of redrawn, so ids made in a
// burst (a bursar's many payments, a bulk import) still sort in the order they were made.
function incrementTail(tail: Uint8Array): boolean {
  for (let i = tail.length - 1; i >= 0; i--) {
    if (tail[i] !== 0xff) {
      tail[i]! += 1;
      return true;
    }
    tail[i] = 0;
  }
  return false;
}

export function uuidv7(now: number = Date.now()): string {
  let ms = Math.max(now, lastMs);
  if (ms === lastMs) {
    if (!incrementTail(lastRand)) {
      ms += 1;
      crypto.getRandomValues(lastRand);
    }
  } else {
    crypto.getRandomValues(lastRand);
  }
  lastMs = ms;
  const bytes = new Uint8Array(16);
  let t = ms;
  for (let i = 5; i >= 0; i--) {
    bytes[i] = t % 256;
    t = Math.floor(t / 256);
  }
  bytes.set(lastRand, 6);
  bytes[6] = 0x70 | (bytes[6]! & 0x0f);
  bytes[8] = 0x80 | (bytes[8]! & 0x3f);
  const h = hex(bytes);
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}

export const UUID_PATTERN = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

export function randomToken(bytes = 32): string {
  const buf = new Uint8Array(bytes);
  crypto.getRandomValues(buf);
  return hex(buf);
}

// FNV-1a, 128 bits, in eight 16-bit limbs (least significant first): the same hash as with
// BigInt, about four times faster (an import derives thousands of ids per call). The prime is
// 2^88 + 0x13b, so a multiply is h * 0x13b plus h shifted left by 88 bits, modulo 2^128.
const FNV128_OFFSET = [0xc58d, 0x6295, 0x2175, 0x62b8, 0x0142, 0x07bb, 0x272e, 0x6c62];

const SEPARATOR = '\u001f';
const encoder = new TextEncoder();

function fnv1a(start: readonly number[], text: string): number[] {
  let [h0, h1, h2, h3, h4, h5, h6, h7] = start as [number, number, number, number, number, number, number, number];
  for (const byte of encoder.encode(text)) {
    h0 ^= byte;
    // h * 0x13b, carried limb by limb
    const t0 = h0 * 0x13b;
    const t1 = h1 * 0x13b + (t0 >>> 16);
    const t2 = h2 * 0x13b + (t1 >>> 16);
    const t3 = h3 * 0x13b + (t2 >>> 16);
    const t4 = h4 * 0x13b + (t3 >>> 16);
    const t5 = h5 * 0x13b + (t4 >>> 16);
    const t6 = h6 * 0x13b + (t5 >>> 16);
    const t7 = h7 * 0x13b + (t6 >>> 16);
    // + h << 88: limbs 0..2 of h shifted by 8 bits land in limbs 5..7
    const u5 = (t5 & 0xffff) + ((h0 << 8) & 0xffff);
    const u6 = (t6 & 0xffff) + (((h1 << 8) & 0xffff) | (h0 >>> 8)) + (u5 >>> 16);
    const u7 = (t7 & 0xffff) + (((h2 << 8) & 0xffff) | (h1 >>> 8)) + (u6 >>> 16);
    h0 = t0 & 0xffff;
    h1 = t1 & 0xffff;
    h2 = t2 & 0xffff;
    h3 = t3 & 0xffff;
    h4 = t4 & 0xffff;
    h5 = u5 & 0xffff;
    h6 = u6 & 0xffff;
    h7 = u7 & 0xffff;
  }
  return [h0, h1, h2, h3, h4, h5, h6, h7];
}

function hashAsUuid(h: readonly number[]): string {
  let x = '';
  for (let i = 7; i >= 0; i--) x += h[i]!.toString(16).padStart(4, '0');
  // Version 8 and the RFC 9562 variant, set in the hash's bytes 6 and 8.
  const v = `8${x[13]}`;
  const variant = (0x8 | (parseInt(x[16]!, 16) & 0x3)).toString(16) + x[17];
  return `${x.slice(0, 8)}-${x.slice(8, 12)}-${v}${x.slice(14, 16)}-${variant}${x.slice(18, 20)}-${x.slice(20)}`;
}

/**
 * An id derived from its parts, the same on every device: what two offices make independently
 * for the same thing (a structure's fee charged to a student) gets one id, so the server and the
 * ledger hold it once. FNV-1a over the parts, shaped as a UUID (version 8, RFC 9562's custom
 * layout); not a secret, only a name.
 */
export function derivedId(...parts: readonly string[]): string {
  return hashAsUuid(fnv1a(FNV128_OFFSET, parts.join(SEPARATOR)));
}

/** derivedId(...prefix, ...rest) for many ids that share a prefix (every row of one imported
 * file): the prefix is hashed once, not once per id. */
export function derivedIdsUnder(...prefix: readonly string[]): (...rest: readonly string[]) => string {
  const start = fnv1a(FNV128_OFFSET, prefix.join(SEPARATOR));
  return (...rest) => hashAsUuid(fnv1a(start, SEPARATOR + rest.join(SEPARATOR)));
}
