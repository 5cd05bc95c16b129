import { afterEach, describe, expect, it } from 'vitest';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { findElectronBinary } from '../../scripts/electron-runtime.js';

let root: string;
afterEach(() => rmSync(root, { recursive: true, force: true }));

describe('finding the Electron runtime for npm start', () => {
  it('says why when there is none, without triggering a download', () => {
    root = mkdtempSync(join(tmpdir(), 'schoolhouse-electron-'));
    expect(findElectronBinary(root)).toEqual({ missing: 'the electron package is not installed' });
    mkdirSync(join(root, 'node_modules', 'electron'), { recursive: true });
    expect(findElectronBinary(root)).toMatchObject({ missing: expect.stringMatching(/never downloaded/) });
    writeFileSync(join(root, 'node_modules', 'electron', 'path.txt'), 'electron');
    expect(findElectronBinary(root)).toMatchObject({ missing: expect.stringMatching(/binary is missing/) });
  });

  it('finds an installed binary', () => {
    root = mkdtempSync(join(tmpdir(), 'schoolhouse-electron-'));
    const pkg = join(root, 'node_modules', 'electron');
    mkdirSync(join(pkg, 'dist'), { recursive: true });
    writeFileSync(join(pkg, 'path.txt'), 'electron');
    writeFileSync(join(pkg, 'dist', 'electron'), '');
    expect(findElectronBinary(root)).toEqual({ path: join(pkg, 'dist', 'electron') });
  });
});
