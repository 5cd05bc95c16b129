// Initial sync end to end over loopback (DESIGN §8: ≥ 50,000 rows/s for the 100k-student school):
// a real sync server on PostgreSQL in its own process (PGlite: in this process, it is embedded),
// a school written server-side by generate_series, and a real device (core on a SQLite file, the
// official ShapeStream) enrolling and pulling it. Prints the time to phase 1 (usable), rows/s to
// up-to-date and the device's longest event-loop stall; asserts nothing.
//
//   npm run bench:initial-sync                                         100,000 students x 10 payments on PostgreSQL
//   npm run bench:initial-sync -- --students 20000 --payments-per-student 5 --chunk 5000 --backend pglite
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, rmSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openCore } from '../../electron/core/open-core.js';
import { startSyncServer } from '../../sync-server/src/start.js';
import { openServerDb } from '../../sync-server/src/db/connect.js';
import { withTenant } from '../../sync-server/src/db/with-tenant.js';
import { countSnapshotRows } from '../../sync-server/src/shape/snapshot.js';
import { PROFILE_TABLES } from '../../shared/sync/protocol.js';
import { addBigSchool } from '../support/big-school.js';
import { createTestDatabase } from '../support/postgres.js';
import { makeSchool } from '../support/sync-server.js';
import type { Kysely } from 'kysely';
import type { ServerDatabase } from '../../sync-server/src/db/schema.js';

const USAGE = `usage: npm run bench:initial-sync -- [--students N] [--payments-per-student N] [--chunk N] [--backend postgres|pglite]`;

function parseArgs(argv: string[]) {
  const opts = { students: 100_000, paymentsPerStudent: 10, chunk: 5_000, backend: 'postgres' as 'postgres' | 'pglite' };
  for (let i = 0; i < argv.length; i++) {
    const [flag, inline] = argv[i]!.split('=', 2) as [string, string | undefined];
    const value = inline ?? argv[++i];
    if (flag === '--backend' && (value === 'postgres' || value === 'pglite')) opts.backend = value;
    else if (flag === '--students' && Number(value) >= 1) opts.students = Number(value);
    else if (flag === '--payments-per-student' && Number(value) >= 0) opts.paymentsPerStudent = Number(value);
    else if (flag === '--chunk' && Number(value) >= 1) opts.chunk = Number(value);
    else {
      console.error(`initial-sync bench: cannot use "${argv[i]}"\n${USAGE}`);
      process.exit(2);
    }
  }
  return opts;
}

const opts = parseArgs(process.argv.slice(2));
/** A server process on PostgreSQL, or an embedded PGlite server here; `db` is the owner connection. */
async function serve(): Promise<{ url: string; db: Kysely<ServerDatabase>; close(): Promise<void> }> {
  if (opts.backend === 'pglite') {
    const server = await startSyncServer({ port: 0, shapeChunkSize: opts.chunk, logger: false });
    return { url: server.url, db: server.db.db, close: () => server.close() };
  }
  const database = await createTestDatabase();
  const owner = await openServerDb({ databaseUrl: database.url });
  const child = spawn(process.execPath, ['--import', 'tsx', join(import.meta.dirname, 'initial-sync-server.ts'), database.url, String(opts.chunk)], { stdio: ['ignore', 'pipe', 'inherit'] });
  const [url] = (await once(createInterface({ input: child.stdout! }), 'line')) as [string];
  return {
    url,
    db: owner.db,
    async close() {
      child.kill('SIGTERM');
      await once(child, 'exit');
      await owner.close();
      await database.drop();
    },
  };
}

const server = await serve();
const dir = mkdtempSync(join(tmpdir(), 'schoolhouse-bench-sync-'));
try {
  const school = await makeSchool(server.db, 'BENCH');
  let t = performance.now();
  await addBigSchool(server.db, school.tenantId, { students: opts.students, paymentsPerStudent: opts.paymentsPerStudent });
  console.log(`school on ${opts.backend}: ${opts.students.toLocaleString('en')} students, ${(opts.students * opts.paymentsPerStudent).toLocaleString('en')} payments, written in ${((performance.now() - t) / 1000).toFixed(1)} s`);
  t = performance.now();
  const total = await withTenant(server.db, school.tenantId, (trx) => countSnapshotRows(trx, PROFILE_TABLES.office, school.tenantId));
  console.log(`snapshot row count (once per first sync): ${total.toLocaleString('en')} rows in ${(performance.now() - t).toFixed(0)} ms`);

  const started = performance.now();
  const core = await openCore({ dataDir: dir, enrol: { serverUrl: server.url, enrolmentCode: school.officeCode, deviceName: 'Bench PC' } });
  let usableAt: number | null = null;
  let longestGapMs = 0;
  let last = performance.now();
  // The event loop stays responsive while pages are stored: the longest gap between these ticks.
  const ticker = setInterval(() => {
    const now = performance.now();
    longestGapMs = Math.max(longestGapMs, now - last - 5);
    last = now;
  }, 5);
  for (;;) {
    const status = await core.sync.status();
    if (usableAt === null && status.initialSync?.phase === 'history') usableAt = performance.now();
    if (status.initialSync === null && status.lastSyncAt !== null) break;
    if (status.lastError) console.log(`  sync error: ${status.lastError}`);
    await new Promise((r) => setTimeout(r, 50));
  }
  const seconds = (performance.now() - started) / 1000;
  clearInterval(ticker);
  await core.close();
  const phase1 = usableAt === null ? null : (usableAt - started) / 1000;
  console.log(`chunk ${opts.chunk.toLocaleString('en')} rows/page`);
  console.log(`usable (current records in): ${phase1 === null ? 'n/a' : `${phase1.toFixed(1)} s`}`);
  console.log(`up to date: ${total.toLocaleString('en')} rows in ${seconds.toFixed(1)} s = ${Math.round(total / seconds).toLocaleString('en')} rows/s end to end (budget ≥ 50,000)`);
  console.log(`longest event-loop stall on the device while syncing: ${longestGapMs.toFixed(0)} ms`);
} finally {
  await server.close();
  rmSync(dir, { recursive: true, force: true });
}
