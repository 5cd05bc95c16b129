import { contextBridge, ipcRenderer } from 'electron';
import { BRIDGE_KEY, IPC_CHANNEL } from '../shared/api/contract.js';

// The renderer's whole view of the main process: one function, no Node, no ipcRenderer.
contextBridge.exposeInMainWorld(BRIDGE_KEY, {
  invoke: (method: string, input: unknown) => ipcRenderer.invoke(IPC_CHANNEL, method, input),
});
