// The initial-sync bench's device, in its own process so its memory can be read alone
// (/proc/<pid>/status) and it shares no event loop with the bench: a real core on a SQLite file
// in <dir> enrols with the server and pulls the school through the official ShapeStream.
// Prints one JSON line when the first sync is up to date, then waits for stdin to close (the
// bench reads this process's VmHWM meanwhile) and exits.
import { once } from 'node:events';
import { openCore } from '../../electron/core/open-core.js';

export interface DeviceResult {
  /** From before openCore (enrolment included) to the snapshot's history phase: current records in. */
  usableMs: number | null;
  upToDateMs: number;
  /** The longest gap beyond 5 ms between 5 ms ticks while syncing: how long the app could not answer. */
  longestStallMs: number;
  lastError: string | null;
}

const [serverUrl, enrolmentCode, dataDir] = process.argv.slice(2);
if (!serverUrl || !enrolmentCode || !dataDir) {
  console.error('usage: initial-sync-device.ts <server url> <office enrolment code> <data dir>');
  process.exit(2);
}

const started = performance.now();
const core = await openCore({ dataDir, enrol: { serverUrl, enrolmentCode, deviceName: 'Bench PC' } });
let usableAt: number | null = null;
let longestStallMs = 0;
let last = performance.now();
const ticker = setInterval(() => {
  const now = performance.now();
  longestStallMs = Math.max(longestStallMs, now - last - 5);
  last = now;
}, 5);
let lastError: string | null = null;
for (;;) {
  const status = await core.sync.status();
  if (usableAt === null && status.initialSync?.phase === 'history') usableAt = performance.now();
  if (status.initialSync === null && status.lastSyncAt !== null) break;
  if (status.lastError && status.lastError !== lastError) console.error(`  sync error: ${status.lastError}`);
  lastError = status.lastError;
  await new Promise((r) => setTimeout(r, 50));
}
const result: DeviceResult = {
  usableMs: usableAt === null ? null : usableAt - started,
  upToDateMs: performance.now() - started,
  longestStallMs,
  lastError,
};
clearInterval(ticker);
await core.close();
console.log(JSON.stringify(result));
process.stdin.resume();
await once(process.stdin, 'end');
process.exit(0);
