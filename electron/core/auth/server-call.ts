import { AppError, isErrorBody, type ErrorCode } from '../../../shared/api/errors.js';
import { STAFF_TOKEN_HEADER } from '../../../shared/sync/protocol.js';
import type { Device } from '../store/database.js';
import type { Session } from './session.js';
import { describeNetworkFailure } from '../sync/server-errors.js';

const STATUS_CODES: Record<number, ErrorCode> = { 400: 'invalid_input', 401: 'unauthenticated', 403: 'forbidden', 404: 'not_found', 409: 'conflict', 423: 'forbidden', 429: 'unavailable' };

export interface ServerCall {
  method?: 'GET' | 'POST';
  body?: unknown;
  /** Send the signed-in person's staff token (admin routes). */
  asStaff?: Session;
  accept?: 'json' | 'text';
}

/**
 * One online-only call to the sync server with this device's token (and the staff token when
 * asked). Failures become AppErrors that say what happened and what to do.
 */
export async function callServer<T>(device: Device, path: string, call: ServerCall, fetchFn: typeof fetch = fetch): Promise<T> {
  const headers: Record<string, string> = { authorization: `Bearer ${device.token}` };
  if (call.body !== undefined) headers['content-type'] = 'application/json';
  if (call.asStaff) {
    const token = call.asStaff.staffToken;
    if (!token) {
      throw new AppError('unavailable', 'This needs a sign-in checked by the school server: sign out, and sign in again while connected.');
    }
    headers[STAFF_TOKEN_HEADER] = token;
  }
  let res: Response;
  try {
    res = await fetchFn(new URL(path, device.server_url), {
      method: call.method ?? (call.body === undefined ? 'GET' : 'POST'),
      headers,
      ...(call.body === undefined ? {} : { body: JSON.stringify(call.body) }),
      signal: AbortSignal.timeout(15_000),
    });
  } catch (err) {
    throw new AppError('unavailable', `This needs a connection to the school server. ${describeNetworkFailure(device.server_url, err)}`);
  }
  if (!res.ok) {
    const body: unknown = await res.json().catch(() => null);
    const message = isErrorBody(body) ? body.message : `The school server answered ${res.status}.`;
    throw new AppError(STATUS_CODES[res.status] ?? 'unavailable', message);
  }
  return (call.accept === 'text' ? await res.text() : await res.json()) as T;
}
