import { FetchError } from '@electric-sql/client';
import { isErrorBody } from '../../../shared/api/errors.js';

/** Words a bursar can act on for a failed call to the sync server. */
export function describeNetworkFailure(serverUrl: string, err: unknown): string {
  const cause = (err as { cause?: { code?: string } })?.cause?.code ?? (err as Error)?.name ?? 'error';
  return `Cannot reach the sync server (${cause}). Work is saved on this computer and will be sent when the connection returns. Server: ${serverUrl}`;
}

export async function describeHttpFailure(res: Response): Promise<string> {
  let detail = '';
  try {
    const body: unknown = await res.json();
    if (isErrorBody(body)) detail = body.message;
  } catch {
    // a proxy or captive portal page: the status says enough
  }
  if (res.status === 401) {
    return `The sync server no longer accepts this computer (${detail || 'unauthorised'}). Ask your administrator to enrol it again.`;
  }
  return `The sync server answered ${res.status}${detail ? `: ${detail}` : ''}. Work is kept on this computer and will be retried.`;
}

/** Why receiving changes failed: the server's own words when it refused the request (e.g. an app
 * newer than the server), rather than the client's "HTTP Error 400 at <url>: <json>". */
export function describePullFailure(err: Error): string {
  if (err instanceof FetchError && isErrorBody(err.json)) {
    return `The sync server refused to send changes (${err.status}): ${err.json.message} Work is kept on this computer; receiving is retried.`;
  }
  return `Receiving changes failed: ${err.message}. Retrying.`;
}
