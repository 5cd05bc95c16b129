// `npm start`: the sync server on embedded PGlite with a demo school, and the desktop app.
// Where no Electron runtime is installed, the same app is served to a browser instead.
import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join, resolve } from 'node:path';
import { startSyncServer } from '../sync-server/src/start.js';
import { DEMO_STAFF, FULL_DEMO } from '../sync-server/src/demo/seed-demo.js';
import { openApp } from '../electron/core/open-app.js';
import { startBrowserHost } from '../electron/host/browser-host.js';
import { findElectronBinary } from './electron-runtime.js';
import { ensureRendererBuilt } from './renderer-build.js';

const root = resolve(import.meta.dirname, '..');
const dataRoot = process.env.SCHOOLHOUSE_DATA_ROOT ?? join(root, '.data');
const serverPort = Number(process.env.SCHOOLHOUSE_SERVER_PORT ?? 3100);
const appPort = Number(process.env.SCHOOLHOUSE_APP_PORT ?? 5173);

const rendererDir = ensureRendererBuilt(root);

console.log('Starting the sync server on embedded PGlite (first start seeds the demo school)…');
const server = await startSyncServer({ port: serverPort, dataDir: join(dataRoot, 'server'), seedDemo: FULL_DEMO });
console.log(`Sync server: ${server.url}`);
// After `npm run seed`, the app enrols into the generated school (the demo stays beside it).
const seededFile = join(dataRoot, 'seeded-school.json');
const seeded = existsSync(seededFile) ? (JSON.parse(readFileSync(seededFile, 'utf8')) as { name: string; enrolmentCode: string }) : null;
if (seeded) console.log(`The app's device enrols into the generated school "${seeded.name}" (npm run seed; delete ${seededFile} for the demo).`);
const enrolmentCode = seeded?.enrolmentCode ?? server.demoEnrolmentCode!;
const demoSignIns = Object.values(DEMO_STAFF)
  .map((s) => `${s.username} / ${s.password} (${s.roleKey.replace('_', ' ')})`)
  .join('\n    ');

const stops: (() => Promise<void>)[] = [() => server.close()];
async function shutdown(code: number): Promise<never> {
  for (const stop of stops.reverse()) await stop().catch((e: unknown) => console.error(e));
  process.exit(code);
}
process.once('SIGINT', () => void shutdown(0));
process.once('SIGTERM', () => void shutdown(0));

const electron = process.env.SCHOOLHOUSE_BROWSER === '1' ? { missing: 'SCHOOLHOUSE_BROWSER=1 asks for the browser' } : findElectronBinary(root);
if ('path' in electron) {
  const { execFileSync } = await import('node:child_process');
  execFileSync(process.execPath, ['--import', 'tsx', join(root, 'scripts', 'build-electron.ts')], { stdio: 'inherit' });
  console.log(`Opening the desktop app. Demo sign-ins:\n    ${demoSignIns}`);
  const child = spawn(electron.path, [join(root, 'dist', 'electron', 'main.js')], {
    stdio: 'inherit',
    env: {
      ...process.env,
      SCHOOLHOUSE_SERVER_URL: server.url,
      SCHOOLHOUSE_ENROLMENT_CODE: enrolmentCode,
      SCHOOLHOUSE_DATA_DIR: join(dataRoot, 'desktop'),
    },
  });
  child.on('exit', (code) => void shutdown(code ?? 0));
} else {
  console.log(`No Electron runtime to open a window (${electron.missing}), so the app is served to your browser instead.`);
  const app = await openApp({
    dataDir: join(dataRoot, 'device'),
    enrol: { serverUrl: server.url, enrolmentCode, deviceName: `${hostname()} (browser)` },
  });
  stops.push(() => app.close());
  const core = app.core!;
  const host = await startBrowserHost({ dispatch: app.dispatch, staticDir: rendererDir, port: appPort });
  stops.push(() => host.close());
  console.log(
    `\n  Schoolhouse is running: open ${host.url} in Chromium, Chrome, Edge or Firefox.\n  School: ${core.device.school_name} · this device's receipts: ${core.device.receipt_series}-…\n  Demo sign-ins:\n    ${demoSignIns}\n  Stop with Ctrl+C.\n`,
  );
}
