import type { FastifyError, FastifyInstance } from 'fastify';
import { AppError, type ErrorBody, type ErrorCode } from '../../../shared/api/errors.js';

const STATUS_BY_CODE: Record<ErrorCode, number> = {
  invalid_input: 400,
  unauthenticated: 401,
  forbidden: 403,
  not_found: 404,
  conflict: 409,
  unavailable: 503,
  internal: 500,
};

function fromFastifyError(e: FastifyError): { status: number; body: ErrorBody } | null {
  switch (e.code) {
    case 'FST_ERR_CTP_INVALID_JSON_BODY':
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
      return { status: 400, body: { code: 'invalid_input', message: `The request body is not valid JSON: ${e.message}` } };
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
      return { status: 400, body: { code: 'invalid_input', message: 'Send the request body as JSON with content-type: application/json.' } };
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return { status: 413, body: { code: 'invalid_input', message: 'The request body is too large; push fewer changes per request.' } };
  }
  if (e.statusCode === 429) {
    return { status: 429, body: { code: 'unavailable', message: 'Too many attempts from this address; wait a minute and try again.' } };
  }
  if (e.validation || (e.statusCode && e.statusCode >= 400 && e.statusCode < 500)) {
    return { status: e.statusCode ?? 400, body: { code: 'invalid_input', message: e.message } };
  }
  return null;
}

/** An AppError whose HTTP status is not the default for its code (e.g. 423 for a locked
 * account, which is 'forbidden' in the shared error codes). */
export class StatusError extends AppError {
  constructor(
    readonly status: number,
    code: ErrorCode,
    message: string,
  ) {
    super(code, message);
  }
}

/** Every error leaves as an ErrorBody with the matching status; unexpected ones are logged and
 * answered without internals. */
export function installErrorHandling(app: FastifyInstance): void {
  app.setErrorHandler((error, request, reply) => {
    if (error instanceof AppError) {
      return reply.code(error instanceof StatusError ? error.status : STATUS_BY_CODE[error.code]).send(error.toBody());
    }
    const known = fromFastifyError(error as FastifyError);
    if (known) return reply.code(known.status).send(known.body);
    request.log.error({ err: error }, 'unhandled error');
    const body: ErrorBody = { code: 'internal', message: 'The sync server hit an unexpected error; try again, and tell the administrator if it keeps happening.' };
    return reply.code(500).send(body);
  });

  app.setNotFoundHandler((request, reply) => {
    const body: ErrorBody = { code: 'not_found', message: `No such endpoint: ${request.method} ${request.url.split('?')[0]}` };
    return reply.code(404).send(body);
  });
}
