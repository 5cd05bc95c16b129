import type { IpcMain, IpcMainInvokeEvent } from 'electron';
import { IPC_CHANNEL, type InvokeReply } from '../shared/api/contract.js';
import type { Dispatch } from './core/dispatch.js';
import { isTrustedSender } from './ipc-guard.js';

/** Serves the typed API over one IPC channel, refusing any sender that is not the app's own page. */
export function registerApiIpc(ipcMain: Pick<IpcMain, 'handle'>, dispatch: Dispatch): void {
  ipcMain.handle(IPC_CHANNEL, async (event: IpcMainInvokeEvent, method: unknown, input: unknown): Promise<InvokeReply<unknown>> => {
    if (!isTrustedSender(event.senderFrame)) {
      return { ok: false, error: { code: 'forbidden', message: 'This window is not allowed to use Schoolhouse data.' } };
    }
    return dispatch(method, input);
  });
}
