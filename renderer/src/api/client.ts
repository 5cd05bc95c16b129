// The renderer's only way to reach core: one typed `invoke` over either Electron IPC (preload
// bridge) or, in a plain browser, the local host's HTTP endpoint. Both answer InvokeReply.
// No DOM access at module load, so the fetch transport can be tested under Node.
import {
  BRIDGE_KEY,
  HOST_INVOKE_PATH,
  HOST_SECRET_HEADER,
  type ApiClient,
  type ApiInput,
  type ApiMethod,
  type ApiOutput,
  type InvokeReply,
} from '../../../shared/api/contract';
import { AppError, isErrorBody } from '../../../shared/api/errors';

export const LOST_CONTACT_MESSAGE = 'Lost contact with the Schoolhouse background process. Restart the app.';

/** What preload exposes on `window[BRIDGE_KEY]`. */
export interface Bridge {
  invoke(method: string, input: unknown): Promise<InvokeReply<unknown>>;
}

function unwrap<T>(reply: unknown, httpStatus?: number): T {
  if (typeof reply === 'object' && reply !== null) {
    const r = reply as { ok?: unknown; value?: unknown; error?: unknown };
    if (r.ok === true && 'value' in r) return r.value as T;
    if (r.ok === false && isErrorBody(r.error)) throw AppError.fromBody(r.error);
  }
  const where = httpStatus === undefined ? '' : ` (HTTP ${httpStatus})`;
  throw new AppError(
    'internal',
    `The Schoolhouse background process sent a reply this window does not understand${where}. Restart the app; if it keeps happening, tell your IT support.`,
  );
}

export function createBridgeClient(bridge: Bridge): ApiClient {
  return {
    async invoke<K extends ApiMethod>(method: K, input: ApiInput<K>): Promise<ApiOutput<K>> {
      let reply: InvokeReply<unknown>;
      try {
        reply = await bridge.invoke(method, input);
      } catch {
        throw new AppError('unavailable', LOST_CONTACT_MESSAGE);
      }
      return unwrap<ApiOutput<K>>(reply);
    },
  };
}

export interface FetchClientOptions {
  /** Origin of the local host, e.g. `http://127.0.0.1:5123`; '' (default) means this page's origin. */
  baseUrl?: string;
  /** The host's per-run secret, sent with every call. */
  secret: string;
  fetch?: typeof globalThis.fetch;
}

export function createFetchClient({ baseUrl = '', secret, fetch = globalThis.fetch }: FetchClientOptions): ApiClient {
  const prefix = baseUrl.replace(/\/+$/, '') + HOST_INVOKE_PATH + '/';
  return {
    async invoke<K extends ApiMethod>(method: K, input: ApiInput<K>): Promise<ApiOutput<K>> {
      let res: Response;
      try {
        res = await fetch(prefix + encodeURIComponent(method), {
          method: 'POST',
          headers: { 'content-type': 'application/json', [HOST_SECRET_HEADER]: secret },
          body: JSON.stringify(input ?? {}),
        });
      } catch {
        throw new AppError('unavailable', LOST_CONTACT_MESSAGE);
      }
      let body: unknown;
      try {
        body = await res.json();
      } catch {
        body = undefined;
      }
      return unwrap<ApiOutput<K>>(body, res.status);
    },
  };
}

/** Picks the transport: the Electron preload bridge when present, else HTTP to the local host. */
export function createApiClient(): ApiClient {
  const bridge = (globalThis as Record<string, unknown>)[BRIDGE_KEY] as Partial<Bridge> | undefined;
  if (bridge && typeof bridge.invoke === 'function') return createBridgeClient(bridge as Bridge);
  const meta = globalThis.document?.querySelector('meta[name="schoolhouse-secret"]');
  return createFetchClient({ secret: meta?.getAttribute('content') ?? '' });
}
