import { CONTENT_SECURITY_POLICY, readStatic } from './static-files.js';

/** Answers an app:// request from the built renderer folder, with the app's CSP. */
export async function serveAppRequest(url: string, rendererDir: string): Promise<Response> {
  const { pathname } = new URL(url);
  const file = (await readStatic(rendererDir, pathname)) ?? (await readStatic(rendererDir, '/index.html'));
  if (!file) return new Response('Not found', { status: 404 });
  return new Response(new Uint8Array(file.body), {
    headers: { 'content-type': file.type, 'content-security-policy': CONTENT_SECURITY_POLICY, 'x-content-type-options': 'nosniff' },
  });
}
