import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

/** The Electron binary installed under node_modules, or why there is none. Reads electron's
 * own path.txt instead of requiring the package, which would try to download the binary. */
export function findElectronBinary(root: string): { path: string } | { missing: string } {
  const pkg = join(root, 'node_modules', 'electron');
  if (!existsSync(pkg)) return { missing: 'the electron package is not installed' };
  const pathFile = join(pkg, 'path.txt');
  if (!existsSync(pathFile)) return { missing: 'the Electron binary was never downloaded (npm installs it on first use; it could not be fetched)' };
  const binary = join(pkg, 'dist', readFileSync(pathFile, 'utf8').trim());
  return existsSync(binary) ? { path: binary } : { missing: `the Electron binary is missing at ${binary}` };
}
