import type { Migration, MigrationProvider } from 'kysely/migration';
import * as m0001 from './0001_init.js';
import * as m0002 from './0002_staff.js';
import * as m0003 from './0003_devices.js';
import * as m0004 from './0004_charges.js';
import * as m0005 from './0005_refetch.js';
import * as m0006 from './0006_bursary.js';
import * as m0007 from './0007_school_office.js';
import * as m0008 from './0008_students_classes.js';
import * as m0009 from './0009_attendance_calendar.js';
import * as m0010 from './0010_report_cards.js';
import * as m0011 from './0011_messages_import.js';
import * as m0012 from './0012_office_write_speed.js';
import * as m0013 from './0013_initial_sync_progress.js';
import * as m0014 from './0014_protocol_versions.js';
import * as m0015 from './0015_backups_recovery.js';
import * as m0017 from './0017_ledger_speed.js';
import * as m0018 from './0018_bulk_load.js';
import * as m0019 from './0019_attendance_list.js';

// Imported statically: a bundled main process has no migrations folder to readdir.
const migrations: Record<string, Migration> = {
  '0001_init': m0001,
  '0002_staff': m0002,
  '0003_devices': m0003,
  '0004_charges': m0004,
  '0005_refetch': m0005,
  '0006_bursary': m0006,
  '0007_school_office': m0007,
  '0008_students_classes': m0008,
  '0009_attendance_calendar': m0009,
  '0010_report_cards': m0010,
  '0011_messages_import': m0011,
  '0012_office_write_speed': m0012,
  '0013_initial_sync_progress': m0013,
  '0014_protocol_versions': m0014,
  '0015_backups_recovery': m0015,
  '0017_ledger_speed': m0017,
  '0018_bulk_load': m0018,
  '0019_attendance_list': m0019,
};

export const localMigrations: MigrationProvider = {
  async getMigrations() {
    return migrations;
  },
};
