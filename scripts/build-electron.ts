// Bundles the Electron main process (ESM) and the sandboxed preload (CommonJS, which a
// sandboxed preload requires) into dist/electron. Native modules and electron stay external.
import { build } from 'vite';
import { resolve } from 'node:path';

const root = resolve(import.meta.dirname, '..');
const external = ['electron', 'better-sqlite3', /^node:/];

await build({
  configFile: false,
  root,
  logLevel: 'warn',
  build: {
    ssr: true,
    outDir: 'dist/electron',
    emptyOutDir: false,
    target: 'node22',
    sourcemap: true,
    rollupOptions: { input: { main: resolve(root, 'electron/main.ts') }, external, output: { format: 'es', entryFileNames: '[name].js' } },
  },
});
await build({
  configFile: false,
  root,
  logLevel: 'warn',
  build: {
    ssr: true,
    outDir: 'dist/electron',
    emptyOutDir: false,
    target: 'node22',
    rollupOptions: { input: { preload: resolve(root, 'electron/preload.ts') }, external, output: { format: 'cjs', entryFileNames: '[name].cjs' } },
  },
});
console.log('Built dist/electron/main.js and dist/electron/preload.cjs');
