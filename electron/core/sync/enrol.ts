import { EnrolResponse, ENROL_PATH, type EnrolRequest } from '../../../shared/sync/protocol.js';
import { AppError } from '../../../shared/api/errors.js';
import { isErrorBody } from '../../../shared/api/errors.js';
import { describeNetworkFailure } from './server-errors.js';

/** Asks the sync server to enrol this computer with an enrolment code from the administrator. */
export async function requestEnrolment(serverUrl: string, request: EnrolRequest, fetchFn: typeof fetch = fetch): Promise<EnrolResponse> {
  let res: Response;
  try {
    res = await fetchFn(new URL(ENROL_PATH, serverUrl), {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(request),
      signal: AbortSignal.timeout(15_000),
    });
  } catch (err) {
    throw new AppError('unavailable', describeNetworkFailure(serverUrl, err));
  }
  if (!res.ok) {
    const body: unknown = await res.json().catch(() => null);
    const detail = isErrorBody(body) ? body.message : `the server answered ${res.status}`;
    throw new AppError(res.status === 401 ? 'unauthenticated' : 'unavailable', `Enrolment failed: ${detail}`);
  }
  const parsed = EnrolResponse.safeParse(await res.json());
  if (!parsed.success) throw new AppError('unavailable', 'The sync server sent an enrolment answer this app cannot read. Check the server address.');
  return parsed.data;
}
