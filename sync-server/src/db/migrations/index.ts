import type { Migration, MigrationProvider } from 'kysely/migration';
import * as m0001 from './0001_init.js';
import * as m0002 from './0002_staff_roles.js';
import * as m0003 from './0003_devices_sync.js';
import * as m0004 from './0004_charges_voids.js';
import * as m0005 from './0005_ledger_insert_only.js';
import * as m0006 from './0006_bursary.js';
import * as m0007 from './0007_school_office.js';

// A static list rather than a folder scan: works the same from tsx, a bundle or a packaged app.
const migrations: Record<string, Migration> = {
  '0001_init': m0001,
  '0002_staff_roles': m0002,
  '0003_devices_sync': m0003,
  '0004_charges_voids': m0004,
  '0005_ledger_insert_only': m0005,
  '0006_bursary': m0006,
  '0007_school_office': m0007,
};

export const migrationProvider: MigrationProvider = {
  async getMigrations() {
    return migrations;
  },
};
