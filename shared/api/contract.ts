import { z } from 'zod';
import { StudentFilter, StudentsListInput, StudentsListOutput, StudentListItem } from '../domain/students.js';
import { PaymentView, RecordPaymentInput } from '../domain/payments.js';
import { AppInfo, SyncStatus } from '../domain/sync-status.js';

const Empty = z.object({}).strict();

/**
 * Every method the renderer may call, with its input and output schemas. Both transports
 * (Electron IPC and the browser host's HTTP) serve exactly this table, and both validate the
 * input against it before any core code runs.
 */
export const api = {
  'app.info': { input: Empty, output: AppInfo },
  'students.list': { input: StudentsListInput, output: StudentsListOutput },
  'students.count': { input: StudentFilter, output: z.object({ count: z.int().nonnegative() }) },
  'students.get': { input: z.object({ id: z.uuid() }), output: StudentListItem },
  'payments.record': { input: RecordPaymentInput, output: PaymentView },
  'payments.listForStudent': {
    input: z.object({ studentId: z.uuid() }),
    output: z.object({ rows: z.array(PaymentView) }),
  },
  'sync.status': { input: Empty, output: SyncStatus },
  'sync.now': { input: Empty, output: SyncStatus },
} as const satisfies Record<string, { input: z.ZodType; output: z.ZodType }>;

export type Api = typeof api;
export type ApiMethod = keyof Api;
export type ApiInput<K extends ApiMethod> = z.input<Api[K]['input']>;
export type ApiParsedInput<K extends ApiMethod> = z.output<Api[K]['input']>;
export type ApiOutput<K extends ApiMethod> = z.output<Api[K]['output']>;

export const API_METHODS = Object.keys(api) as ApiMethod[];

export function isApiMethod(name: unknown): name is ApiMethod {
  return typeof name === 'string' && Object.prototype.hasOwnProperty.call(api, name);
}

/** The shape every handler module implements: a function per method, input already validated. */
export type Handlers = {
  [K in ApiMethod]: (input: ApiParsedInput<K>) => Promise<ApiOutput<K>> | ApiOutput<K>;
};

/** The transport-independent client the renderer holds. */
export interface ApiClient {
  invoke<K extends ApiMethod>(method: K, input: ApiInput<K>): Promise<ApiOutput<K>>;
}

/** Name under which preload exposes the IPC bridge on `window`. */
export const BRIDGE_KEY = 'schoolhouse';
/** IPC channel carrying every API call. */
export const IPC_CHANNEL = 'schoolhouse:invoke';
/** Header carrying the browser host's per-run secret. */
export const HOST_SECRET_HEADER = 'x-schoolhouse-secret';
export const HOST_INVOKE_PATH = '/api/invoke';

/** What either transport sends back: a result or an error body, never a thrown exception. */
export type InvokeReply<T> = { ok: true; value: T } | { ok: false; error: import('./errors.js').ErrorBody };
