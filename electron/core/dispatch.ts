import { api, isApiMethod, type Handlers, type InvokeReply } from '../../shared/api/contract.js';
import { AppError } from '../../shared/api/errors.js';
import { parseInput } from '../../shared/validate.js';
import type { Session } from './auth/session.js';

export type Dispatch = (method: unknown, input: unknown) => Promise<InvokeReply<unknown>>;

/**
 * The single entry point both transports call: checks the method name, the signed-in person's
 * access, validates the input against the contract, runs the handler, and turns every failure
 * into an error body. Unknown failures are logged and reported without internals.
 */
export function createDispatch(handlers: Handlers, session: Session, log: (msg: string, err: unknown) => void = console.error): Dispatch {
  return async (method, input) => {
    try {
      if (!isApiMethod(method)) throw new AppError('not_found', `Unknown method "${String(method)}".`);
      const user = await session.require(api[method].access);
      const parsed = parseInput(api[method].input, input ?? {}, `input for ${method}`);
      const handler = handlers[method] as (i: unknown, u: typeof user) => unknown;
      return { ok: true, value: await handler(parsed, user) };
    } catch (err) {
      if (err instanceof AppError) return { ok: false, error: err.toBody() };
      log(`[core] ${String(method)} failed`, err);
      return {
        ok: false,
        error: { code: 'internal', message: 'Something went wrong while saving or reading data. Nothing was changed; try again, and report it if it keeps happening.' },
      };
    }
  };
}
