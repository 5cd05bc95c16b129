// Stands in for the `electron` module in Node tests (Electron's binary cannot run here). It
// records what main-process code registers so tests can call it as Electron would.

type Handler = (event: unknown, ...args: unknown[]) => unknown;

export const ipcMain = {
  handlers: new Map<string, Handler>(),
  handle(channel: string, handler: Handler) {
    this.handlers.set(channel, handler);
  },
};

export const contextBridge = {
  exposed: new Map<string, unknown>(),
  exposeInMainWorld(key: string, api: unknown) {
    this.exposed.set(key, api);
  },
};

export const ipcRenderer = {
  calls: [] as unknown[][],
  async invoke(...args: unknown[]) {
    this.calls.push(args);
    return { ok: true, value: null };
  },
};

export default { ipcMain, contextBridge, ipcRenderer };
