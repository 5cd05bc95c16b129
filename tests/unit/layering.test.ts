// The folders are the architecture: shared/ is the common layer (no Node, no DOM), and the
// renderer reaches core only through the typed API.
import { describe, expect, it } from 'vitest';
import { readdirSync, readFileSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { join, relative, resolve } from 'node:path';

const root = resolve(import.meta.dirname, '../..');

function sources(dir: string): string[] {
  return readdirSync(join(root, dir), { withFileTypes: true, recursive: true })
    .filter((e) => e.isFile() && /\.(ts|tsx)$/.test(e.name))
    .map((e) => relative(root, join(e.parentPath, e.name)));
}

function imports(file: string): string[] {
  const text = readFileSync(join(root, file), 'utf8');
  return [...text.matchAll(/(?:^|\n)\s*(?:import|export)[^'"\n]*?from\s+['"]([^'"]+)['"]|import\(\s*['"]([^'"]+)['"]\s*\)/g)].map((m) => m[1] ?? m[2]!);
}

const nodeBuiltins = new Set(builtinModules.flatMap((m) => [m, `node:${m}`]));

describe('layering', () => {
  it('shared/ imports nothing from Node, the DOM or the other layers', () => {
    const offenders: string[] = [];
    for (const file of sources('shared')) {
      for (const spec of imports(file)) {
        if (nodeBuiltins.has(spec) || spec.startsWith('node:') || /(^|\/)(electron|renderer|sync-server)\//.test(spec) || ['better-sqlite3', 'pg', 'electron', 'react'].includes(spec)) {
          offenders.push(`${file} imports ${spec}`);
        }
      }
      const text = readFileSync(join(root, file), 'utf8');
      for (const global of ['window.', 'document.', 'process.', 'Buffer.', 'require(']) {
        if (text.includes(global)) offenders.push(`${file} uses ${global}`);
      }
    }
    expect(offenders).toEqual([]);
  });

  it('the renderer never imports Node modules, drivers, or core', () => {
    const offenders: string[] = [];
    for (const file of sources('renderer')) {
      for (const spec of imports(file)) {
        if (nodeBuiltins.has(spec) || ['better-sqlite3', 'pg', 'kysely', 'electron', '@electric-sql/pglite'].includes(spec) || /(^|\/)(electron|sync-server)\//.test(spec)) {
          offenders.push(`${file} imports ${spec}`);
        }
      }
    }
    expect(offenders).toEqual([]);
  });

  it('only the thin edge files import electron', () => {
    const importers = ['electron', 'sync-server', 'shared', 'scripts']
      .flatMap(sources)
      .filter((f) => imports(f).includes('electron'));
    expect(importers.sort()).toEqual(['electron/ipc.ts', 'electron/main.ts', 'electron/preload.ts', 'electron/window-options.ts']);
  });
});
