import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { timingSafeEqual } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { HOST_INVOKE_PATH, HOST_SECRET_HEADER } from '../../shared/api/contract.js';
import type { ErrorBody } from '../../shared/api/errors.js';
import { randomToken } from '../../shared/ids.js';
import type { Dispatch } from '../core/dispatch.js';
import { CONTENT_SECURITY_POLICY, readStatic } from '../static-files.js';

export interface BrowserHostOptions {
  dispatch: Dispatch;
  /** The built renderer (dist/renderer). */
  staticDir: string;
  port?: number;
  secret?: string;
}

export interface BrowserHost {
  url: string;
  secret: string;
  close(): Promise<void>;
}

/** Room for the largest call: a 5 MB payments file (PAYMENT_IMPORT_MAX_CHARS), as JSON-escaped UTF-8. */
const MAX_BODY = 16 * 1024 * 1024;

function send(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store' });
  res.end(JSON.stringify(body));
}

function refuse(res: ServerResponse, status: number, error: ErrorBody): void {
  send(res, status, { ok: false, error });
}

function readBody(req: IncomingMessage): Promise<string | null> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size > MAX_BODY) {
        resolve(null);
        req.destroy();
      } else chunks.push(c);
    });
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

function sameSecret(given: string | string[] | undefined, secret: string): boolean {
  if (typeof given !== 'string' || given.length !== secret.length) return false;
  return timingSafeEqual(Buffer.from(given), Buffer.from(secret));
}

/**
 * Serves the renderer and the typed API to a browser on 127.0.0.1, for development, the
 * end-to-end tests and `npm start` where no Electron runtime is installed. It runs the same
 * core as Electron's main process. Calls must carry the per-run secret that only the served
 * page knows, and the Host header must be this loopback address (against DNS rebinding).
 */
export async function startBrowserHost(options: BrowserHostOptions): Promise<BrowserHost> {
  const secret = options.secret ?? randomToken(24);
  let allowedHosts = new Set<string>();

  const server = createServer(async (req, res) => {
    try {
      if (!req.headers.host || !allowedHosts.has(req.headers.host)) {
        return refuse(res, 403, { code: 'forbidden', message: 'This address only answers on 127.0.0.1 or localhost.' });
      }
      const path = (req.url ?? '/').split('?')[0]!;
      if (path.startsWith(`${HOST_INVOKE_PATH}/`)) {
        if (req.method !== 'POST') return refuse(res, 405, { code: 'invalid_input', message: 'Use POST for API calls.' });
        if (!sameSecret(req.headers[HOST_SECRET_HEADER], secret)) {
          return refuse(res, 403, { code: 'forbidden', message: 'Missing or wrong session secret: reload the page from the address the app printed.' });
        }
        const raw = await readBody(req);
        if (raw === null) return refuse(res, 413, { code: 'invalid_input', message: 'The request is larger than 16 MB.' });
        let input: unknown;
        try {
          input = raw === '' ? {} : JSON.parse(raw);
        } catch {
          return refuse(res, 400, { code: 'invalid_input', message: 'The request body is not valid JSON.' });
        }
        const method = decodeURIComponent(path.slice(HOST_INVOKE_PATH.length + 1));
        return send(res, 200, await options.dispatch(method, input));
      }
      if (req.method !== 'GET' && req.method !== 'HEAD') return refuse(res, 405, { code: 'invalid_input', message: 'Only GET is served here.' });
      const file = (await readStatic(options.staticDir, path)) ?? (await readStatic(options.staticDir, '/index.html'));
      if (!file) {
        res.writeHead(503, { 'content-type': 'text/plain; charset=utf-8' });
        return res.end('The app has not been built: run `npm run build:renderer`.');
      }
      const isHtml = file.type.startsWith('text/html');
      const body = isHtml
        ? Buffer.from(file.body.toString('utf8').replace('<meta name="schoolhouse-secret" content="">', `<meta name="schoolhouse-secret" content="${secret}">`))
        : file.body;
      res.writeHead(200, {
        'content-type': file.type,
        'content-security-policy': CONTENT_SECURITY_POLICY,
        'x-content-type-options': 'nosniff',
        'referrer-policy': 'no-referrer',
        'cache-control': isHtml ? 'no-store' : 'no-cache',
      });
      res.end(req.method === 'HEAD' ? undefined : body);
    } catch (err) {
      console.error('[host] request failed', err);
      if (!res.headersSent) refuse(res, 500, { code: 'internal', message: 'The local app host failed; restart Schoolhouse.' });
    }
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  allowedHosts = new Set([`127.0.0.1:${port}`, `localhost:${port}`]);
  return {
    url: `http://127.0.0.1:${port}/`,
    secret,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
