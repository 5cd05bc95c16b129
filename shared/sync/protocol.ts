import { z } from 'zod';
import { MUTATION_NAMES, type MutationName } from './mutations.js';
import { GuardianRow, StudentGuardianRow, StudentRow } from '../domain/students.js';
import { ClassRow, ClassSubjectRow, StudentSubjectRow, SubjectRow } from '../domain/classes.js';
import { AttendanceRecordRow, AttendanceSessionRow } from '../domain/attendance.js';
import { AssessmentRow, GradingScaleRow, ReportCommentRow, ScoreRow } from '../domain/reports.js';
import { EventRow } from '../domain/calendar.js';
import { MessageReadRow, MessageRow } from '../domain/messages.js';
import { ConflictRow } from '../domain/conflicts.js';
import { PaymentRow, RECEIPT_SERIES_PATTERN, RefundRow } from '../domain/payments.js';
import { ChargeRow, DiscountRow, FeeCategoryRow, FeeStructureRow, VoidRow } from '../domain/fees.js';
import { ExpenseApprovalRow, ExpenseRow } from '../domain/expenses.js';
import { CashUpRow } from '../domain/cashup.js';
import { TermRow } from '../domain/terms.js';
import { DeviceRow, DisplayName, LoginRow, Password, RoleRow, SessionUser, StaffRow, Username } from '../domain/staff.js';
import { DeviceProfile, Permission } from '../domain/permissions.js';

// ---- device enrolment -------------------------------------------------------------------

export const EnrolRequest = z.object({
  enrolmentCode: z.string().trim().min(4).max(64),
  deviceName: z.string().trim().min(1).max(64),
});
export type EnrolRequest = z.infer<typeof EnrolRequest>;

export const EnrolResponse = z.object({
  deviceId: z.uuid(),
  token: z.string().min(32),
  /** Every receipt this device issues starts with it, so it must match what receipts allow. */
  receiptSeries: z.string().regex(RECEIPT_SERIES_PATTERN),
  profile: DeviceProfile,
  school: z.object({ id: z.string(), name: z.string(), currency: z.string(), timeZone: z.string() }),
});
export type EnrolResponse = z.infer<typeof EnrolResponse>;

// ---- push (device -> server) -------------------------------------------------------------

export const MutationEnvelope = z.object({
  id: z.uuid(),
  /** Per-device sequence number: the order the device made its changes in. */
  seq: z.int().positive(),
  name: z.enum(MUTATION_NAMES as [MutationName, ...MutationName[]]),
  args: z.unknown(),
  schemaVersion: z.int().positive(),
  /** The staff member who made the change (signed in on the device, online or offline). The
   * server re-checks that this person exists, is active and holds the permission now. */
  authorId: z.uuid().nullable(),
});
export type MutationEnvelope = z.infer<typeof MutationEnvelope>;

export const MAX_PUSH_BATCH = 200;

export const PushRequest = z.object({
  mutations: z.array(MutationEnvelope).min(1).max(MAX_PUSH_BATCH),
});
export type PushRequest = z.infer<typeof PushRequest>;

export const MutationResult = z.discriminatedUnion('status', [
  z.object({ mutationId: z.string(), status: z.literal('applied') }),
  z.object({
    mutationId: z.string(),
    status: z.literal('rejected'),
    reason: z.string(),
    /** false: the server kept no record of this refusal (it could not read the change's format),
     * so the same mutation, same id, may be sent again once the server can. */
    recorded: z.literal(false).optional(),
  }),
]);
export type MutationResult = z.infer<typeof MutationResult>;

export const PushResponse = z.object({ results: z.array(MutationResult) });
export type PushResponse = z.infer<typeof PushResponse>;

// ---- read path (server -> device), an Electric-compatible shape over the change log -------

export const SYNCED_TABLES = [
  'roles',
  'staff',
  'devices',
  'terms',
  'students',
  'fee_categories',
  'fee_structures',
  'charges',
  'payments',
  'discounts',
  'refunds',
  'expenses',
  'expense_approvals',
  'voids',
  'cash_ups',
  'login_history',
  'classes',
  'subjects',
  'class_subjects',
  'student_subjects',
  'guardians',
  'student_guardians',
  'events',
  'grading_scales',
  'assessments',
  'scores',
  'report_comments',
  'attendance_sessions',
  'attendance_records',
  'messages',
  'message_reads',
  'record_conflicts',
] as const;
export type SyncedTable = (typeof SYNCED_TABLES)[number];

export const rowSchemas = {
  roles: RoleRow,
  staff: StaffRow,
  devices: DeviceRow,
  terms: TermRow,
  students: StudentRow,
  fee_categories: FeeCategoryRow,
  fee_structures: FeeStructureRow,
  charges: ChargeRow,
  payments: PaymentRow,
  discounts: DiscountRow,
  refunds: RefundRow,
  expenses: ExpenseRow,
  expense_approvals: ExpenseApprovalRow,
  voids: VoidRow,
  cash_ups: CashUpRow,
  login_history: LoginRow,
  classes: ClassRow,
  subjects: SubjectRow,
  class_subjects: ClassSubjectRow,
  student_subjects: StudentSubjectRow,
  guardians: GuardianRow,
  student_guardians: StudentGuardianRow,
  events: EventRow,
  grading_scales: GradingScaleRow,
  assessments: AssessmentRow,
  scores: ScoreRow,
  report_comments: ReportCommentRow,
  attendance_sessions: AttendanceSessionRow,
  attendance_records: AttendanceRecordRow,
  messages: MessageRow,
  message_reads: MessageReadRow,
  record_conflicts: ConflictRow,
} as const satisfies Record<SyncedTable, z.ZodType>;

/** Tables a device of each profile receives: devices in teacher-only rooms get no bursary data
 * and no login history. The server builds each device's shape from this. */
export const PROFILE_TABLES: Record<DeviceProfile, readonly SyncedTable[]> = {
  office: SYNCED_TABLES,
  // Teachers' rooms get the school office's records (registers, marks, the calendar, messages)
  // but no bursary data and no login history.
  teacher_room: SYNCED_TABLES.filter(
    (t) => !['devices', 'fee_categories', 'fee_structures', 'charges', 'payments', 'discounts', 'refunds', 'expenses', 'expense_approvals', 'voids', 'cash_ups', 'login_history'].includes(t),
  ),
};

/** The value of one shape message: a row's full merged state on the server (or its deletion). */
export interface ChangeValue {
  table: string;
  id: string;
  seq: number;
  deleted: boolean;
  row: Record<string, unknown> | null;
}

/** Column types announced in the `electric-schema` header, so the official client parses values. */
export const CHANGE_SHAPE_SCHEMA = {
  table: { type: 'text', pk_index: 0, not_null: true },
  id: { type: 'text', pk_index: 1, not_null: true },
  seq: { type: 'int8', not_null: true },
  deleted: { type: 'bool', not_null: true },
  row: { type: 'jsonb' },
} as const;

export const SHAPE_PATH = '/v1/shape';
export const PUSH_PATH = '/v1/push';
export const ENROL_PATH = '/v1/devices/enrol';

// ---- staff authentication (device -> server, online) ---------------------------------------

export const LoginRequest = z.object({ username: Username, password: z.string().min(1).max(200) });
export type LoginRequest = z.infer<typeof LoginRequest>;

export const LoginResponse = z.object({
  /** Short-lived bearer token for the online-only staff routes below. */
  accessToken: z.string(),
  expiresAt: z.string(),
  user: SessionUser,
});
export type LoginResponse = z.infer<typeof LoginResponse>;

export const ChangePasswordRequest = z.object({ currentPassword: z.string().min(1).max(200), newPassword: Password });
export type ChangePasswordRequest = z.infer<typeof ChangePasswordRequest>;
/** A new password revokes the tokens issued before it, the caller's too: it gets a fresh one. */
export const ChangePasswordResponse = z.object({ changed: z.literal(true), accessToken: z.string(), expiresAt: z.string() });
export type ChangePasswordResponse = z.infer<typeof ChangePasswordResponse>;

// ---- administration (online, staff bearer token + device token) ---------------------------

export const CreateEnrolmentCodeRequest = z.object({ profile: DeviceProfile });
export const EnrolmentCode = z.object({ code: z.string(), profile: DeviceProfile, expiresAt: z.string() });
export type EnrolmentCode = z.infer<typeof EnrolmentCode>;

export const DeviceSummary = z.object({
  id: z.uuid(),
  name: z.string(),
  profile: DeviceProfile,
  receiptSeries: z.string(),
  enrolledAt: z.string(),
  revokedAt: z.string().nullable(),
});
export type DeviceSummary = z.infer<typeof DeviceSummary>;

export const AuditEntry = z.object({
  seq: z.int(),
  at: z.string(),
  table: z.string(),
  rowId: z.string(),
  op: z.enum(['insert', 'update', 'delete']),
  userName: z.string().nullable(),
  deviceName: z.string().nullable(),
});
export type AuditEntry = z.infer<typeof AuditEntry>;

export const AuditQuery = z.object({
  /** Newest first: entries with a seq below this one. */
  before: z.coerce.number().int().positive().optional(),
  limit: z.coerce.number().int().min(1).max(1000).default(200),
});
export const AuditPage = z.object({ rows: z.array(AuditEntry), next: z.int().nullable() });
export type AuditPage = z.infer<typeof AuditPage>;

/** Header carrying the signed-in staff member's access token on admin routes (the device token
 * stays in Authorization, so both the device and the person are known). */
export const STAFF_TOKEN_HEADER = 'x-staff-token';

export const CreateStaffRequest = z.object({
  username: Username,
  displayName: DisplayName,
  roleId: z.uuid(),
  /** The first password; the person should change it after signing in. */
  password: Password,
});
export type CreateStaffRequest = z.infer<typeof CreateStaffRequest>;

export const ResetPasswordRequest = z.object({ newPassword: Password });
/** What POST ADMIN_STAFF_PATH answers: the new account as it will sync. */
export const StaffRowResponse = StaffRow;

export const AUTH_LOGIN_PATH = '/v1/auth/login';
/** POST: create a staff account. POST :id/unlock, POST :id/password: unlock, set a new password. */
export const ADMIN_STAFF_PATH = '/v1/admin/staff';
export const AUTH_PASSWORD_PATH = '/v1/auth/password';
export const ADMIN_ENROLMENT_CODES_PATH = '/v1/admin/enrolment-codes';
export const ADMIN_DEVICES_PATH = '/v1/admin/devices';
export const ADMIN_AUDIT_PATH = '/v1/admin/audit';
export type { Permission };
