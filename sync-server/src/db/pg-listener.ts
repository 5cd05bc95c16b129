import pg from 'pg';
import type { Unlisten } from './connect.js';

/** The first retry comes quickly (a terminated backend or a failover is usually back at once);
 * later ones back off so a database that is down is not hammered. */
const RETRY_FIRST_MS = 50;
const RETRY_MAX_MS = 5_000;

/**
 * LISTEN on a session of its own (pooled connections are shared and recycled), kept alive: when the
 * connection drops it is re-opened with backoff, and `onReconnect` runs once LISTEN is back, because
 * any NOTIFY sent while it was down is lost.
 */
export async function listenWithReconnect(
  url: string,
  channel: string,
  onNotify: (payload: string) => void,
  onReconnect: () => void,
): Promise<Unlisten> {
  let current: pg.Client | undefined;
  let retry: NodeJS.Timeout | undefined;
  let delay = RETRY_FIRST_MS;
  let stopped = false;

  const open = async (): Promise<pg.Client> => {
    // keepAlive: a connection lost without a FIN (a dead router) is noticed and re-opened too.
    const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: RETRY_MAX_MS, keepAlive: true });
    // Errors are followed by 'end', which is where the connection is replaced.
    client.on('error', () => undefined);
    try {
      await client.connect();
      client.on('notification', (n) => {
        if (n.channel === channel) onNotify(n.payload ?? '');
      });
      await client.query(`listen ${pg.escapeIdentifier(channel)}`);
    } catch (e) {
      await client.end().catch(() => undefined);
      throw e;
    }
    client.once('end', () => {
      if (current !== client) return;
      current = undefined;
      scheduleRetry();
    });
    return client;
  };

  const scheduleRetry = () => {
    if (stopped) return;
    retry = setTimeout(() => {
      retry = undefined;
      open().then(
        (client) => {
          if (stopped) return void client.end().catch(() => undefined);
          current = client;
          delay = RETRY_FIRST_MS;
          onReconnect();
        },
        () => {
          delay = Math.min(delay * 2, RETRY_MAX_MS);
          scheduleRetry();
        },
      );
    }, delay);
  };

  current = await open();
  return async () => {
    stopped = true;
    clearTimeout(retry);
    const client = current;
    current = undefined;
    await client?.end().catch(() => undefined);
  };
}
