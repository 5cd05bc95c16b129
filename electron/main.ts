import { app, BrowserWindow, ipcMain, protocol, session, shell } from 'electron';
import { homedir, hostname } from 'node:os';
import { fileURLToPath } from 'node:url';
import { openApp, type AppHost } from './core/open-app.js';
import { registerApiIpc } from './ipc.js';
import { APP_HOST, APP_ORIGIN, APP_SCHEME } from './ipc-guard.js';
import { mainWindowOptions } from './window-options.js';
import { serveAppRequest } from './app-protocol.js';
import { localDataDir } from './app-paths.js';

// Thin edge: everything with logic lives in files that run (and are tested) without Electron.

protocol.registerSchemesAsPrivileged([{ scheme: APP_SCHEME, privileges: { standard: true, secure: true, supportFetchAPI: true } }]);

const rendererDir = fileURLToPath(new URL('../renderer/', import.meta.url));
const preloadPath = fileURLToPath(new URL('./preload.cjs', import.meta.url));
let app_: AppHost | undefined;

if (!app.requestSingleInstanceLock()) app.quit();

app.on('second-instance', () => {
  const [win] = BrowserWindow.getAllWindows();
  if (win) {
    if (win.isMinimized()) win.restore();
    win.focus();
  }
});

app.on('web-contents-created', (_event, contents) => {
  contents.on('will-navigate', (event, url) => {
    if (!url.startsWith(APP_ORIGIN)) event.preventDefault();
  });
  contents.setWindowOpenHandler(({ url }) => {
    if (url.startsWith('https://')) void shell.openExternal(url);
    return { action: 'deny' };
  });
});

app.whenReady().then(async () => {
  session.defaultSession.setPermissionRequestHandler((_wc, _permission, callback) => callback(false));
  protocol.handle(APP_SCHEME, (request) => serveAppRequest(request.url, rendererDir));
  const serverUrl = process.env.SCHOOLHOUSE_SERVER_URL;
  const enrolmentCode = process.env.SCHOOLHOUSE_ENROLMENT_CODE;
  app_ = await openApp({
    dataDir: process.env.SCHOOLHOUSE_DATA_DIR ?? localDataDir(process.platform, process.env, homedir()),
    ...(serverUrl && enrolmentCode ? { enrol: { serverUrl, enrolmentCode, deviceName: hostname() } } : {}),
  });
  registerApiIpc(ipcMain, app_.dispatch);
  const win = new BrowserWindow(mainWindowOptions(preloadPath));
  win.once('ready-to-show', () => win.show());
  await win.loadURL(`${APP_SCHEME}://${APP_HOST}/index.html`);
});

let closing = false;
app.on('before-quit', (event) => {
  if (!app_ || closing) return;
  // Finish the write in flight and stop sync cleanly before the process exits.
  event.preventDefault();
  closing = true;
  void app_.close().finally(() => app.quit());
});

app.on('window-all-closed', () => app.quit());
