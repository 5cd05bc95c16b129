import { describe, expect, it } from 'vitest';
import { ipcMain, contextBridge, ipcRenderer } from './../support/electron-stub.js';
import { registerApiIpc } from '../../electron/ipc.js';
import { isTrustedSender, APP_ORIGIN } from '../../electron/ipc-guard.js';
import { mainWindowOptions } from '../../electron/window-options.js';
import { localDataDir } from '../../electron/app-paths.js';
import { resolveStaticPath } from '../../electron/static-files.js';
import { BRIDGE_KEY, IPC_CHANNEL } from '../../shared/api/contract.js';
import type { IpcMain } from 'electron';

describe('IPC sender validation', () => {
  it('accepts only the top-level app:// page', () => {
    expect(isTrustedSender({ url: `${APP_ORIGIN}/index.html`, parent: null })).toBe(true);
    expect(isTrustedSender({ url: `${APP_ORIGIN}/index.html`, parent: {} })).toBe(false);
    expect(isTrustedSender({ url: 'https://evil.example/', parent: null })).toBe(false);
    expect(isTrustedSender({ url: 'file:///C:/app/index.html', parent: null })).toBe(false);
    expect(isTrustedSender({ url: 'app://schoolhouse.evil/', parent: null })).toBe(false);
    expect(isTrustedSender({ url: 'not a url', parent: null })).toBe(false);
    expect(isTrustedSender(null)).toBe(false);
  });

  it('refuses calls from an unexpected frame without reaching core, and serves the app page', async () => {
    const calls: unknown[][] = [];
    registerApiIpc(ipcMain as unknown as IpcMain, async (method, input) => {
      calls.push([method, input]);
      return { ok: true, value: 'served' };
    });
    const handler = ipcMain.handlers.get(IPC_CHANNEL)!;
    const refused = await handler({ senderFrame: { url: 'https://evil.example/', parent: null } }, 'students.list', {});
    expect(refused).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    const iframe = await handler({ senderFrame: { url: `${APP_ORIGIN}/index.html`, parent: { url: APP_ORIGIN } } }, 'sync.status', {});
    expect(iframe).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    expect(calls).toEqual([]);
    const served = await handler({ senderFrame: { url: `${APP_ORIGIN}/index.html`, parent: null } }, 'sync.status', {});
    expect(served).toEqual({ ok: true, value: 'served' });
    expect(calls).toEqual([['sync.status', {}]]);
  });

  it('preload exposes exactly one invoke function over the API channel', async () => {
    await import('../../electron/preload.js');
    const bridge = contextBridge.exposed.get(BRIDGE_KEY) as Record<string, unknown>;
    expect(Object.keys(bridge)).toEqual(['invoke']);
    await (bridge.invoke as (m: string, i: unknown) => Promise<unknown>)('students.list', { limit: 5 });
    expect(ipcRenderer.calls.at(-1)).toEqual([IPC_CHANNEL, 'students.list', { limit: 5 }]);
  });
});

describe('window options', () => {
  it('follow the Electron security checklist', () => {
    const { webPreferences } = mainWindowOptions('/app/preload.cjs');
    expect(webPreferences).toMatchObject({
      preload: '/app/preload.cjs',
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
    });
  });
});

describe('paths', () => {
  it('keep the database in the local, not roaming, app-data folder', () => {
    expect(localDataDir('win32', { LOCALAPPDATA: 'C:\\Users\\amina\\AppData\\Local', APPDATA: 'C:\\Users\\amina\\AppData\\Roaming' }, 'C:\\Users\\amina')).toMatch(/AppData[\\/]Local[\\/]Schoolhouse$/);
    expect(localDataDir('linux', {}, '/home/amina')).toBe('/home/amina/.local/share/schoolhouse');
    expect(localDataDir('linux', { XDG_DATA_HOME: '/data' }, '/home/amina')).toBe('/data/schoolhouse');
  });

  it('never serve a file outside the renderer folder', () => {
    expect(resolveStaticPath('/app/renderer', '/')).toBe('/app/renderer/index.html');
    expect(resolveStaticPath('/app/renderer', '/assets/a.js')).toBe('/app/renderer/assets/a.js');
    expect(resolveStaticPath('/app/renderer', '/../secret.txt')).toBe('/app/renderer/secret.txt');
    expect(resolveStaticPath('/app/renderer', '/..%2f..%2fetc%2fpasswd')).toBe('/app/renderer/etc/passwd');
    expect(resolveStaticPath('/app/renderer', '/%00')).toBeNull();
    expect(resolveStaticPath('/app/renderer', '/%E0%A4%A')).toBeNull();
  });
});
