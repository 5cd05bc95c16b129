// Bundles the Electron main process (ESM) and the sandboxed preload (CommonJS, which a
// sandboxed preload requires) into dist/electron. Native modules and electron stay external.
import { build } from 'vite';
import { resolve } from 'node:path';

const root = resolve(import.meta.dirname, '..');
const external = ['electron', 'better-sqlite3', /^node:/];

function bundle(name: string, entry: string, format: 'es' | 'cjs', extension: string) {
  return build({
    configFile: false,
    root,
    logLevel: 'warn',
    build: {
      ssr: true,
      outDir: 'dist/electron',
      emptyOutDir: false,
      target: 'node22',
      sourcemap: true,
      rollupOptions: { input: { [name]: resolve(root, entry) }, external, output: { format, entryFileNames: `[name].${extension}` } },
    },
  });
}

await bundle('main', 'electron/main.ts', 'es', 'js');
await bundle('preload', 'electron/preload.ts', 'cjs', 'cjs');
console.log('Built dist/electron/main.js and dist/electron/preload.cjs');
