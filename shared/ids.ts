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
