import type { ColumnType, Generated, Insertable, Selectable } from 'kysely';
import type { DeviceProfile } from '../../../shared/domain/permissions.js';

// int8 columns are parsed to number (see int8.ts), so bigint columns are typed as number.
type CreatedAt = ColumnType<Date, Date | string | undefined, never>;

export interface TenantsTable {
  id: string;
  /** Short school code, the prefix of every receipt series (e.g. DEMO). */
  code: string;
  name: string;
  currency: string;
  /** IANA time zone of the school (e.g. Africa/Nairobi): dates on screens and reports. */
  time_zone: Generated<string>;
  last_seq: Generated<number>;
  shape_epoch: Generated<number>;
  next_device_no: Generated<number>;
  created_at: CreatedAt;
}

export interface DevicesTable {
  tenant_id: string;
  id: string;
  name: string;
  token_hash: string;
  receipt_series: string;
  profile: Generated<DeviceProfile>;
  enrolled_at: CreatedAt;
  revoked_at: ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;
  /** Synced to the school's office devices as DeviceRow (never token_hash): see deviceRow(). */
  _seq: number;
}

export interface TermsTable {
  tenant_id: string;
  id: string;
  name: string;
  starts_on: ColumnType<string, string, string>;
  ends_on: ColumnType<string, string, string>;
}

export interface RolesTable {
  tenant_id: string;
  id: string;
  key: string | null;
  name: string;
  permissions: ColumnType<string[], string, string>;
  _seq: number;
  deleted: Generated<boolean>;
}

export interface StaffTable {
  tenant_id: string;
  id: string;
  username: string;
  display_name: string;
  role_id: string;
  active: Generated<boolean>;
  /** Never synced, never in a change row: see staffRow(). */
  password_hash: string;
  failed_attempts: Generated<number>;
  locked_until: ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;
  password_changed_at: ColumnType<Date, Date | string | undefined, Date | string>;
  _seq: number;
  deleted: Generated<boolean>;
}

export interface LoginHistoryTable {
  tenant_id: string;
  id: string;
  user_id: string | null;
  username: string;
  device_id: string;
  at: string;
  success: boolean;
  offline: boolean;
  reason: string | null;
  _seq: number;
}

export interface EnrolmentCodesTable {
  tenant_id: string;
  code_hash: string;
  profile: DeviceProfile;
  expires_at: ColumnType<Date, Date | string, Date | string>;
  used_at: ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;
  reusable: Generated<boolean>;
  created_by: string | null;
  created_at: CreatedAt;
}

export interface StudentsTable {
  tenant_id: string;
  id: string;
  admission_no: string;
  first_name: string;
  last_name: string;
  class_name: string | null;
  status: string;
  guardian_phone: string | null;
  _seq: number;
  deleted: Generated<boolean>;
}

export interface PaymentsTable {
  tenant_id: string;
  id: string;
  student_id: string;
  amount_minor: number;
  currency: string;
  method: string;
  reference: string | null;
  receipt_no: string;
  /** The device's clock when recorded: informational only, no rule depends on it. */
  recorded_at: string;
  recorded_by: string | null;
  device_id: string;
  _seq: number;
}

export interface FeeCategoriesTable {
  tenant_id: string;
  id: string;
  /** Unique per school, whatever the case. */
  name: string;
  active: Generated<boolean>;
  _seq: number;
  deleted: Generated<boolean>;
}

/** Insert-only ledger: a row is never updated or deleted; a mistake is reversed by a void. */
export interface ChargesTable {
  tenant_id: string;
  id: string;
  student_id: string;
  category_id: string;
  description: string;
  amount_minor: number;
  currency: string;
  term: string | null;
  /** A `date` column: select it as text (to_char), the drivers would turn it into a Date. */
  due_on: ColumnType<never, string, never>;
  /** The device's clock when posted: informational only. */
  posted_at: string;
  posted_by: string | null;
  device_id: string;
  _seq: number;
}

/** Insert-only: the reversal of one payment or charge; at most one per entry (unique). */
export interface VoidsTable {
  tenant_id: string;
  id: string;
  target_table: 'payments' | 'charges';
  target_id: string;
  reason: string;
  voided_at: string;
  voided_by: string | null;
  device_id: string;
  _seq: number;
}

export type ChangeOp = 'insert' | 'update' | 'delete';

export interface SyncChangesTable {
  tenant_id: string;
  seq: number;
  table_name: string;
  row_id: string;
  op: ChangeOp;
  row: ColumnType<unknown, string, never>;
  mutation_id: string | null;
  device_id: string | null;
  /** The staff member whose action made the change (null: the server or a seed). */
  author_id: string | null;
  created_at: CreatedAt;
}

export type MutationStatus = 'applied' | 'rejected';

export interface AppliedMutationsTable {
  tenant_id: string;
  device_id: string;
  mutation_id: string;
  device_seq: number;
  name: string;
  status: MutationStatus;
  reason: string | null;
  author_id: string | null;
  applied_at: CreatedAt;
}

export interface ServerDatabase {
  tenants: TenantsTable;
  devices: DevicesTable;
  students: StudentsTable;
  payments: PaymentsTable;
  fee_categories: FeeCategoriesTable;
  charges: ChargesTable;
  voids: VoidsTable;
  sync_changes: SyncChangesTable;
  applied_mutations: AppliedMutationsTable;
  terms: TermsTable;
  roles: RolesTable;
  staff: StaffTable;
  login_history: LoginHistoryTable;
  enrolment_codes: EnrolmentCodesTable;
}

export type Tenant = Selectable<TenantsTable>;
export type NewTenant = Insertable<TenantsTable>;
export type Device = Selectable<DevicesTable>;
export type NewDevice = Insertable<DevicesTable>;
export type Student = Selectable<StudentsTable>;
export type NewStudent = Insertable<StudentsTable>;
export type Payment = Selectable<PaymentsTable>;
export type NewPayment = Insertable<PaymentsTable>;
export type SyncChange = Selectable<SyncChangesTable>;
export type NewSyncChange = Insertable<SyncChangesTable>;
export type AppliedMutation = Selectable<AppliedMutationsTable>;
export type Role = Selectable<RolesTable>;
export type Staff = Selectable<StaffTable>;
