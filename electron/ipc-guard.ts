/** The only origin the app's own pages are served from (Electron's app:// protocol). */
export const APP_SCHEME = 'app';
export const APP_HOST = 'schoolhouse';
export const APP_ORIGIN = `${APP_SCHEME}://${APP_HOST}`;

export interface SenderFrameLike {
  url: string;
  parent: unknown;
}

/**
 * An IPC call is served only when it comes from the app's own top-level page: not from an
 * iframe, not from a page the window was navigated to, not from a frame that has gone away.
 */
export function isTrustedSender(frame: SenderFrameLike | null | undefined): boolean {
  if (!frame || frame.parent) return false;
  try {
    const url = new URL(frame.url);
    return `${url.protocol}//${url.host}` === APP_ORIGIN;
  } catch {
    return false;
  }
}
