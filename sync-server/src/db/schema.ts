import type { ColumnType, Generated, Insertable, Selectable } from 'kysely';
import type { DeviceProfile } from '../../../shared/domain/permissions.js';
import type { Allocation } from '../../../shared/domain/ledger-math.js';
import type { FeeStructureItem, VoidableTable } from '../../../shared/domain/fees.js';
import type { MethodTotals } from '../../../shared/domain/cashup.js';
import type { PaymentMethod } from '../../../shared/domain/payments.js';
import type { RecordMeta } from '../../../shared/domain/records.js';
import type { GradeBand } from '../../../shared/domain/reports.js';

// int8 columns are parsed to number (see int8.ts), so bigint columns are typed as number.
type CreatedAt = ColumnType<Date, Date | string | undefined, never>;
/** A jsonb column: read as the parsed value, written as JSON text. */
type Json<T> = ColumnType<T, string, string>;
/** A `date` column: select it as text (to_char), the drivers would turn it into a Date. */
type DateColumn = ColumnType<never, string, never>;
type NullableDateColumn = ColumnType<never, string | null | undefined, string | null>;
/** Per-field versions of an editable row (written as JSON text, or an object: both drivers
 * send a plain object as JSON). */
type MetaColumn = ColumnType<RecordMeta, RecordMeta | string | undefined, RecordMeta | string>;
/** Columns every editable table has (migration 0007). */
interface EditableColumns {
  tenant_id: string;
  id: string;
  deleted: Generated<boolean>;
  meta: MetaColumn;
  _seq: number;
}

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

/** Synced since migration 0006 (as TermRow). */
export interface TermsTable {
  tenant_id: string;
  id: string;
  name: string;
  starts_on: DateColumn;
  ends_on: DateColumn;
  _seq: number;
  deleted: Generated<boolean>;
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
  // The full profile (migration 0007); class_name and guardian_phone are derived from these.
  middle_name: ColumnType<string | null, string | null | undefined, string | null>;
  date_of_birth: NullableDateColumn;
  gender: ColumnType<string | null, string | null | undefined, string | null>;
  class_id: ColumnType<string | null, string | null | undefined, string | null>;
  photo_file: ColumnType<string | null, string | null | undefined, string | null>;
  medical_notes: ColumnType<string | null, string | null | undefined, string | null>;
  meta: MetaColumn;
}

// ---- the school office (migration 0007): editable rows merged field by field ----

export interface ClassesTable extends EditableColumns {
  grade: string;
  level: number;
  stream: string;
  academic_year: number;
  class_teacher_id: string | null;
  grading_scale_id: string | null;
  /** Derived: className(grade, stream). */
  name: string;
}

export interface SubjectsTable extends EditableColumns {
  name: string;
  code: string;
}

export interface ClassSubjectsTable extends EditableColumns {
  class_id: string;
  subject_id: string;
  teacher_id: string | null;
  compulsory: boolean;
}

export interface StudentSubjectsTable extends EditableColumns {
  student_id: string;
  class_subject_id: string;
}

export interface GuardiansTable extends EditableColumns {
  name: string;
  phone: string | null;
  alt_phone: string | null;
  email: string | null;
  address: string | null;
}

export interface StudentGuardiansTable extends EditableColumns {
  student_id: string;
  guardian_id: string;
  relationship: string;
  pays_fees: boolean;
}

export interface EventsTable extends EditableColumns {
  title: string;
  type: string;
  starts_on: DateColumn;
  ends_on: DateColumn;
  start_time: string | null;
  end_time: string | null;
  location: string | null;
  description: string;
  class_id: string | null;
}

export interface GradingScalesTable extends EditableColumns {
  name: string;
  bands: Json<GradeBand[]>;
  is_default: boolean;
}

export interface AssessmentsTable extends EditableColumns {
  class_id: string;
  subject_id: string;
  term: string;
  name: string;
  weight: number;
  max_score: number;
}

export interface ScoresTable extends EditableColumns {
  assessment_id: string;
  student_id: string;
  score: number | null;
}

export interface ReportCommentsTable extends EditableColumns {
  student_id: string;
  term: string;
  class_teacher_comment: string;
  head_teacher_comment: string;
}

export interface AttendanceSessionsTable extends EditableColumns {
  class_id: string;
  date: DateColumn;
  period: string;
  taken_by: string | null;
  note: string;
}

export interface AttendanceRecordsTable extends EditableColumns {
  session_id: string;
  student_id: string;
  status: string;
  reason: string | null;
}

/** Insert-only for the app role. */
export interface MessagesTable {
  tenant_id: string;
  id: string;
  sender_id: string;
  sender_name: string;
  to_staff_ids: Json<string[]>;
  to_label: string;
  subject: string;
  body: string;
  sent_at: string;
  device_id: string;
  _seq: number;
}

/** Insert-only for the app role; one per (message, staff). */
export interface MessageReadsTable {
  tenant_id: string;
  id: string;
  message_id: string;
  staff_id: string;
  read_at: string;
  _seq: number;
}

/** Raised by the server; the app role may update only the resolution columns. */
export interface RecordConflictsTable {
  tenant_id: string;
  id: string;
  kind: 'overwritten' | 'duplicate';
  table_name: string;
  row_id: string;
  field: string;
  kept_value: string;
  lost_value: string;
  kept_by: string | null;
  kept_device: string | null;
  lost_by: string | null;
  lost_device: string | null;
  other_row_id: string | null;
  raised_at: string;
  resolved_at: string | null;
  resolved_by: string | null;
  resolution: 'kept' | 'restored' | null;
  _seq: number;
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
  /** The staff member who took it (the mutation's author); null before migration 0006. */
  recorded_by_id: string | null;
  /** The charges it settled, as the device set them; the rest is credit. */
  allocations: ColumnType<Allocation[], string | undefined, never>;
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
  due_on: DateColumn;
  /** The device's clock when posted: informational only. */
  posted_at: string;
  posted_by: string | null;
  device_id: string;
  /** Set when applied from a fee structure (the id is then derived from it). */
  structure_id: string | null;
  _seq: number;
}

/** Editable: the latest save wins; at most one active per class and term (unique index). */
export interface FeeStructuresTable {
  tenant_id: string;
  id: string;
  class_name: string;
  term: string;
  items: Json<FeeStructureItem[]>;
  active: boolean;
  _seq: number;
  deleted: Generated<boolean>;
}

/** Insert-only: a discount or scholarship, already an amount. */
export interface DiscountsTable {
  tenant_id: string;
  id: string;
  student_id: string;
  category_id: string | null;
  kind: 'discount' | 'scholarship';
  basis: 'percent' | 'fixed';
  percent_bp: number | null;
  amount_minor: number;
  term: string | null;
  reason: string;
  posted_at: string;
  posted_by: string | null;
  device_id: string;
  _seq: number;
}

/** Insert-only: credit paid back to a student's family. */
export interface RefundsTable {
  tenant_id: string;
  id: string;
  student_id: string;
  amount_minor: number;
  currency: string;
  method: PaymentMethod;
  reference: string | null;
  reason: string;
  refunded_at: string;
  refunded_by: string | null;
  refunded_by_id: string | null;
  device_id: string;
  _seq: number;
}

/** Insert-only: money the school spent. */
export interface ExpensesTable {
  tenant_id: string;
  id: string;
  category: string;
  payee: string;
  description: string;
  amount_minor: number;
  currency: string;
  method: PaymentMethod;
  reference: string | null;
  spent_on: DateColumn;
  attachments: Json<string[]>;
  recorded_at: string;
  recorded_by: string | null;
  recorded_by_id: string | null;
  device_id: string;
  _seq: number;
}

/** Insert-only: the one decision on an expense (unique per expense). */
export interface ExpenseApprovalsTable {
  tenant_id: string;
  id: string;
  expense_id: string;
  decision: 'approved' | 'rejected';
  note: string;
  decided_at: string;
  decided_by: string | null;
  decided_by_id: string | null;
  device_id: string;
  _seq: number;
}

/** Insert-only: one bursar's day closed on one device (unique per device, staff and date). */
export interface CashUpsTable {
  tenant_id: string;
  id: string;
  business_date: DateColumn;
  device_id: string;
  staff_id: string;
  staff_name: string;
  expected: Json<MethodTotals>;
  counted: Json<MethodTotals>;
  difference_minor: number;
  note: string;
  closed_at: string;
  _seq: number;
}

/** Insert-only: the reversal of one ledger entry; at most one per entry (unique). */
export interface VoidsTable {
  tenant_id: string;
  id: string;
  target_table: VoidableTable;
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
  fee_structures: FeeStructuresTable;
  discounts: DiscountsTable;
  refunds: RefundsTable;
  expenses: ExpensesTable;
  expense_approvals: ExpenseApprovalsTable;
  cash_ups: CashUpsTable;
  voids: VoidsTable;
  sync_changes: SyncChangesTable;
  applied_mutations: AppliedMutationsTable;
  terms: TermsTable;
  roles: RolesTable;
  staff: StaffTable;
  login_history: LoginHistoryTable;
  enrolment_codes: EnrolmentCodesTable;
  classes: ClassesTable;
  subjects: SubjectsTable;
  class_subjects: ClassSubjectsTable;
  student_subjects: StudentSubjectsTable;
  guardians: GuardiansTable;
  student_guardians: StudentGuardiansTable;
  events: EventsTable;
  grading_scales: GradingScalesTable;
  assessments: AssessmentsTable;
  scores: ScoresTable;
  report_comments: ReportCommentsTable;
  attendance_sessions: AttendanceSessionsTable;
  attendance_records: AttendanceRecordsTable;
  messages: MessagesTable;
  message_reads: MessageReadsTable;
  record_conflicts: RecordConflictsTable;
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
