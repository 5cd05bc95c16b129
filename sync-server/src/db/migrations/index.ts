import type { Migration, MigrationProvider } from 'kysely/migration';
import * as m0001 from './0001_init.js';

// A static list rather than a folder scan: works the same from tsx, a bundle or a packaged app.
const migrations: Record<string, Migration> = {
  '0001_init': m0001,
};

export const migrationProvider: MigrationProvider = {
  async getMigrations() {
    return migrations;
  },
};
