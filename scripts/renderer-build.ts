import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { execFileSync } from 'node:child_process';

function newestMtime(dir: string): number {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const full = join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestMtime(full) : statSync(full).mtimeMs);
  }
  return newest;
}

/** Builds the renderer when dist/renderer is missing or older than its sources. */
export function ensureRendererBuilt(root: string): string {
  const out = join(root, 'dist', 'renderer');
  const index = join(out, 'index.html');
  const stale =
    !existsSync(index) ||
    Math.max(newestMtime(join(root, 'renderer')), newestMtime(join(root, 'shared'))) > statSync(index).mtimeMs;
  if (stale) {
    console.log('Building the app (vite build)…');
    execFileSync(process.execPath, [join(root, 'node_modules', 'vite', 'bin', 'vite.js'), 'build', '--logLevel', 'warn'], { cwd: root, stdio: 'inherit' });
  }
  return out;
}
