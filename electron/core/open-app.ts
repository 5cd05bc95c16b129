import { api, type ApiParsedInput, type InvokeReply } from '../../shared/api/contract.js';
import { AppError } from '../../shared/api/errors.js';
import { parseInput } from '../../shared/validate.js';
import { NotEnrolledError, openCore, type Core, type CoreOptions } from './open-core.js';
import type { Dispatch } from './dispatch.js';
import { DatabaseLostError } from './store/recover.js';

export interface AppHost {
  /** Stable across enrolment: both transports hold this one function. */
  dispatch: Dispatch;
  /** The running core, or null until this computer is enrolled. */
  readonly core: Core | null;
  close(): Promise<void>;
}

const NOT_ENROLLED = new AppError('unavailable', 'This computer is not enrolled with a school yet. Enrol it with the code your administrator gives you.');

/**
 * Opens the app on this computer. An enrolled computer gets its core at once; a new one answers
 * only `device.state` and `device.enrol` until someone enrols it, then opens its core.
 */
export async function openApp(options: Omit<CoreOptions, 'enrol'> & Pick<CoreOptions, 'enrol'>): Promise<AppHost> {
  let core: Core | null = null;
  /** Why this computer must be enrolled (again): its database was damaged beyond rebuilding. */
  let lost: AppError | null = null;
  try {
    core = await openCore(options);
  } catch (err) {
    if (err instanceof DatabaseLostError) lost = new AppError('unavailable', err.message);
    else if (!(err instanceof NotEnrolledError)) throw err;
  }

  let enrolling: Promise<Core> | null = null;

  async function enrol(input: ApiParsedInput<'device.enrol'>): Promise<unknown> {
    // One enrolment at a time: a double click must not enrol this computer twice.
    if (enrolling) throw new AppError('conflict', 'Enrolment is already in progress; wait for it to finish.');
    enrolling = openCore({ ...options, enrol: { serverUrl: input.serverUrl, enrolmentCode: input.enrolmentCode, deviceName: input.deviceName } });
    try {
      core = await enrolling;
    } finally {
      enrolling = null;
    }
    return core.handlers['app.info']({}, null);
  }

  async function beforeEnrolment(method: unknown, input: unknown): Promise<InvokeReply<unknown>> {
    try {
      if (method === 'device.state') return { ok: true, value: { enrolled: false } };
      if (method !== 'device.enrol') throw lost ?? NOT_ENROLLED;
      const parsed = parseInput(api['device.enrol'].input, input ?? {}, 'enrolment details');
      return { ok: true, value: await enrol(parsed) };
    } catch (err) {
      if (err instanceof AppError) return { ok: false, error: err.toBody() };
      return { ok: false, error: { code: 'internal', message: `Enrolment failed unexpectedly: ${(err as Error).message}` } };
    }
  }

  return {
    dispatch: (method, input) => (core ? core.dispatch(method, input) : beforeEnrolment(method, input)),
    get core() {
      return core;
    },
    async close() {
      await core?.close();
    },
  };
}
