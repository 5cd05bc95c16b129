import type { Generated, Insertable, Selectable } from 'kysely';

// The device's local store. Synced tables mirror the server's rows (without tenant_id: a device
// belongs to one school); local-only tables hold the outbox and this device's sync state.

export interface StudentsTable {
  id: string;
  admission_no: string;
  first_name: string;
  last_name: string;
  class_name: string | null;
  status: 'enrolled' | 'withdrawn' | 'graduated';
  guardian_phone: string | null;
  middle_name: string | null;
  date_of_birth: string | null;
  gender: 'female' | 'male' | 'other' | null;
  class_id: string | null;
  photo_file: string | null;
  medical_notes: string | null;
  deleted: Generated<number>;
  meta: Generated<string>;
}

export interface PaymentsTable {
  id: string;
  student_id: string;
  amount_minor: number;
  currency: string;
  method: 'cash' | 'bank_transfer' | 'mobile_money' | 'cheque' | 'card';
  reference: string | null;
  receipt_no: string;
  recorded_at: string;
  recorded_by: string | null;
  recorded_by_id: string | null;
  device_id: string;
  /** JSON array of { chargeId, amountMinor }. */
  allocations: string;
}

export interface RolesTable {
  id: string;
  key: string | null;
  name: string;
  /** JSON array of permission names. */
  permissions: string;
}

export interface StaffTable {
  id: string;
  username: string;
  display_name: string;
  role_id: string;
  active: number;
}

/** The school's devices (synced to office devices; this device's own row is among them). */
export interface DevicesTable {
  id: string;
  name: string;
  profile: 'office' | 'teacher_room';
  receipt_series: string;
  enrolled_at: string;
  revoked_at: string | null;
}

export interface LoginHistoryTable {
  id: string;
  user_id: string | null;
  username: string;
  device_id: string;
  at: string;
  success: number;
  offline: number;
  reason: string | null;
}

export interface LocalCredentialsTable {
  user_id: string;
  username: string;
  password_hash: string;
  failed_attempts: Generated<number>;
  locked_until: string | null;
  updated_at: string;
}

export interface ShadowRowsTable {
  table_name: string;
  row_id: string;
  /** The server's row as JSON, or null when the server has no such row yet. */
  row: string | null;
  /** 1 once a pull brought a newer server row while the local change was pending. */
  refreshed: Generated<number>;
}

export interface FeeCategoriesTable {
  id: string;
  name: string;
  active: number;
}

export interface ChargesTable {
  id: string;
  student_id: string;
  category_id: string;
  description: string;
  amount_minor: number;
  currency: string;
  term: string | null;
  due_on: string;
  posted_at: string;
  posted_by: string | null;
  device_id: string;
  structure_id: string | null;
}

export interface TermsTable {
  id: string;
  name: string;
  starts_on: string;
  ends_on: string;
}

export interface FeeStructuresTable {
  id: string;
  class_name: string;
  term: string;
  /** JSON array of FeeStructureItem. */
  items: string;
  active: number;
}

export interface DiscountsTable {
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
}

export interface RefundsTable {
  id: string;
  student_id: string;
  amount_minor: number;
  currency: string;
  method: PaymentsTable['method'];
  reference: string | null;
  reason: string;
  refunded_at: string;
  refunded_by: string | null;
  refunded_by_id: string | null;
  device_id: string;
}

export interface ExpensesTable {
  id: string;
  category: string;
  payee: string;
  description: string;
  amount_minor: number;
  currency: string;
  method: PaymentsTable['method'];
  reference: string | null;
  spent_on: string;
  /** JSON array of file names. */
  attachments: string;
  recorded_at: string;
  recorded_by: string | null;
  recorded_by_id: string | null;
  device_id: string;
}

export interface ExpenseApprovalsTable {
  id: string;
  expense_id: string;
  decision: 'approved' | 'rejected';
  note: string;
  decided_at: string;
  decided_by: string | null;
  decided_by_id: string | null;
  device_id: string;
}

export interface CashUpsTable {
  id: string;
  business_date: string;
  device_id: string;
  staff_id: string;
  staff_name: string;
  /** JSON objects: minor units per payment method. */
  expected: string;
  counted: string;
  difference_minor: number;
  note: string;
  closed_at: string;
}

export interface VoidsTable {
  id: string;
  target_table: 'payments' | 'charges' | 'discounts' | 'refunds' | 'expenses';
  target_id: string;
  reason: string;
  voided_at: string;
  voided_by: string | null;
  device_id: string;
}

export interface OutboxTable {
  /** The per-device sequence number (AUTOINCREMENT: never reused, even after acknowledgement). */
  seq: Generated<number>;
  mutation_id: string;
  name: string;
  args: string;
  schema_version: number;
  created_at: string;
  attempts: Generated<number>;
  last_error: string | null;
  author_id: string | null;
}

/** Which synced rows each pending mutation wrote, so pulled data does not overwrite them (rebase). */
export interface OutboxRowsTable {
  outbox_seq: number;
  table_name: string;
  row_id: string;
}

export interface NeedsAttentionTable {
  id: Generated<number>;
  mutation_id: string;
  device_seq: number;
  name: string;
  args: string;
  reason: string;
  created_at: string;
  /** The change's format when the server refused it without recording it (it could not read
   * that format): a resend sends the same mutation again. Null: resent as a new mutation. */
  unrecorded_version: number | null;
}

export interface DeviceTable {
  id: number;
  device_id: string;
  device_name: string;
  token: string;
  server_url: string;
  school_id: string;
  school_name: string;
  currency: string;
  receipt_series: string;
  next_receipt_no: number;
  enrolled_at: string;
  profile: 'office' | 'teacher_room';
  time_zone: string;
}

export interface SyncStateTable {
  id: number;
  shape_handle: string | null;
  shape_offset: string | null;
  last_sync_at: string | null;
  /** 1 while a fresh snapshot is being applied after a must-refetch. */
  refetching: Generated<number>;
  /** While a snapshot streams in (first sync or rebuild): the phase it is in, else null. */
  snapshot_phase: 'current' | 'history' | null;
  /** The server's count of rows the snapshot sends, taken when it started. */
  snapshot_rows_total: Generated<number>;
  /** Rows of the snapshot stored so far, across restarts. */
  snapshot_rows_done: Generated<number>;
  snapshot_started_at: string | null;
  /** The sync protocol version the synced tables were filled at; an app speaking another
   * rebuilds them from a fresh snapshot. */
  protocol_version: Generated<number>;
}

/** Each rebuild of a damaged database (migration 0015). */
export interface RecoveryReportsTable {
  id: Generated<number>;
  at: string;
  damaged_file: string;
  from_backup: string | null;
  pending_recovered: number;
  reason: string;
}

/** One row while new receipt numbers wait for a rebuilt database to catch up (migration 0015). */
export interface ReceiptHoldTable {
  id: number;
  since: string;
}

/** Rows the fresh snapshot has delivered so far; the rest are dropped when it completes. */
export interface RefetchSeenTable {
  table_name: string;
  row_id: string;
}


// ---- the school office (issue 5) ----
/** Columns of every editable table: a tombstone and the per-field versions (JSON RecordMeta). */
interface EditableColumns {
  deleted: number;
  meta: string;
}

export interface ClassesTable extends EditableColumns {
  id: string;
  grade: string;
  level: number;
  stream: string;
  academic_year: number;
  class_teacher_id: string | null;
  grading_scale_id: string | null;
  name: string;
}

export interface SubjectsTable extends EditableColumns {
  id: string;
  name: string;
  code: string;
}

export interface ClassSubjectsTable extends EditableColumns {
  id: string;
  class_id: string;
  subject_id: string;
  teacher_id: string | null;
  compulsory: number;
}

export interface StudentSubjectsTable extends EditableColumns {
  id: string;
  student_id: string;
  class_subject_id: string;
}

export interface GuardiansTable extends EditableColumns {
  id: string;
  name: string;
  phone: string | null;
  alt_phone: string | null;
  email: string | null;
  address: string | null;
}

export interface StudentGuardiansTable extends EditableColumns {
  id: string;
  student_id: string;
  guardian_id: string;
  relationship: string;
  pays_fees: number;
}

export interface EventsTable extends EditableColumns {
  id: string;
  title: string;
  type: string;
  starts_on: string;
  ends_on: string;
  start_time: string | null;
  end_time: string | null;
  location: string | null;
  description: string;
  class_id: string | null;
}

export interface GradingScalesTable extends EditableColumns {
  id: string;
  name: string;
  bands: string;
  is_default: number;
}

export interface AssessmentsTable extends EditableColumns {
  id: string;
  class_id: string;
  subject_id: string;
  term: string;
  name: string;
  weight: number;
  max_score: number;
}

export interface ScoresTable extends EditableColumns {
  id: string;
  assessment_id: string;
  student_id: string;
  score: number | null;
}

export interface ReportCommentsTable extends EditableColumns {
  id: string;
  student_id: string;
  term: string;
  class_teacher_comment: string;
  head_teacher_comment: string;
}

export interface AttendanceSessionsTable extends EditableColumns {
  id: string;
  class_id: string;
  date: string;
  period: string;
  taken_by: string | null;
  note: string;
}

export interface AttendanceRecordsTable extends EditableColumns {
  id: string;
  session_id: string;
  student_id: string;
  status: string;
  reason: string | null;
}

/** Local index (migration 0009, kept by triggers): each mark with its register's date, for histories. */
export interface AttendanceHistoryTable {
  record_id: string;
  student_id: string;
  session_id: string;
  date: string;
  period: string;
  /** The register's class and the mark (0019), for the school-wide list's filters. */
  class_id: string | null;
  status: string | null;
}

export interface MessagesTable {
  id: string;
  sender_id: string;
  sender_name: string;
  to_staff_ids: string;
  to_label: string;
  subject: string;
  body: string;
  sent_at: string;
  device_id: string;
}

export interface MessageReadsTable {
  id: string;
  message_id: string;
  staff_id: string;
  read_at: string;
}

/** One row per (recipient, message), kept by triggers (migration 0011): the inbox index. */
export interface MessageInboxTable {
  staff_id: string;
  sent_at: string;
  message_id: string;
  read_at: string | null;
}

export interface RecordConflictsTable {
  id: string;
  kind: string;
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
  resolution: string | null;
}

/** Per student, live ledger totals kept by triggers (migration 0017); balance = charged - paid - discounted + refunded. */
export interface LedgerBalancesTable {
  student_id: string;
  charged: number;
  paid: number;
  discounted: number;
  refunded: number;
  /** 0 when the student's ledger moved since charge_positions last settled them. */
  settled: number;
}

/** Each live charge of a settled student and what settle() leaves owing on it (migration 0017). */
export interface ChargePositionsTable {
  student_id: string;
  charge_id: string;
  category_id: string;
  term: string | null;
  amount_minor: number;
  owed_minor: number;
}

/** (class, time, id) of each payment of a student in a class, kept by triggers (migration 0017). */
export interface ClassPaymentsTable {
  class_name: string;
  recorded_at: string;
  id: string;
}

export interface LocalDatabase {
  roles: RolesTable;
  staff: StaffTable;
  devices: DevicesTable;
  login_history: LoginHistoryTable;
  local_credentials: LocalCredentialsTable;
  shadow_rows: ShadowRowsTable;
  students: StudentsTable;
  payments: PaymentsTable;
  terms: TermsTable;
  fee_categories: FeeCategoriesTable;
  fee_structures: FeeStructuresTable;
  charges: ChargesTable;
  discounts: DiscountsTable;
  refunds: RefundsTable;
  expenses: ExpensesTable;
  expense_approvals: ExpenseApprovalsTable;
  cash_ups: CashUpsTable;
  voids: VoidsTable;
  outbox: OutboxTable;
  outbox_rows: OutboxRowsTable;
  needs_attention: NeedsAttentionTable;
  device: DeviceTable;
  sync_state: SyncStateTable;
  refetch_seen: RefetchSeenTable;
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
  attendance_history: AttendanceHistoryTable;
  message_inbox: MessageInboxTable;
  recovery_reports: RecoveryReportsTable;
  receipt_hold: ReceiptHoldTable;
  ledger_balances: LedgerBalancesTable;
  class_payments: ClassPaymentsTable;
  charge_positions: ChargePositionsTable;
}

export type Student = Selectable<StudentsTable>;
export type NewStudent = Insertable<StudentsTable>;
export type Payment = Selectable<PaymentsTable>;
export type NewPayment = Insertable<PaymentsTable>;
export type OutboxEntry = Selectable<OutboxTable>;
export type Device = Selectable<DeviceTable>;
