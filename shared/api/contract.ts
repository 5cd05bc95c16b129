import { z } from 'zod';
import type { MethodTable } from './access.js';
import { studentsApi } from './students-api.js';
import { studentImportApi } from './student-import-api.js';
import { attendanceApi } from './attendance-api.js';
import { calendarApi } from './calendar-api.js';
import { reportsApi } from './reports-api.js';
import { messagesApi } from './messages-api.js';
import { conflictsApi } from './conflicts-api.js';
import { officeApi } from './office-api.js';
import { syncApi } from './sync-api.js';
import { AmountMinor, PaymentMethod, PaymentReference, PaymentView, RecordPaymentInput } from '../domain/payments.js';
import { PaymentImportInput, PaymentImportResult } from '../domain/payment-import.js';
import { DiscountBasis, DiscountKind, FeeCategoryRow, FeeStructureItems, IsoDate, Statement, StatementEntry, VoidableTable, VoidReason } from '../domain/fees.js';
import { AttachmentName, ExpenseDecision } from '../domain/expenses.js';
import { CountedTotals } from '../domain/cashup.js';
import { TermRow } from '../domain/terms.js';
import {
  ArrearsPage,
  BursaryDashboard,
  CashUpListItem,
  CashUpView,
  ChargesPage,
  ExpenseListItem,
  ExpensesPage,
  FeeStructureView,
  listInput,
  NameCursor,
  PaymentsPage,
  Receipt,
  TimeCursor,
} from '../domain/bursary-views.js';
import { AppInfo } from '../domain/sync-status.js';
import { DeviceProfile, Permission, PERMISSIONS } from '../domain/permissions.js';
import { DisplayName, LoginRow, Password, RoleRow, SessionUser, Username, type SessionUser as SessionUserType } from '../domain/staff.js';
import { AuditPage, DeviceSummary, EnrolmentCode } from '../sync/protocol.js';
import { mutationArgs } from '../sync/mutations.js';

const Empty = z.object({}).strict();

export type { Access } from './access.js';

export const Session = z.object({
  user: SessionUser.nullable(),
  /** True when the sign-in was checked on this device because the server was unreachable. */
  offline: z.boolean(),
});
export type Session = z.infer<typeof Session>;

export const RoleView = z.object({
  id: z.string(),
  key: z.string().nullable(),
  name: z.string(),
  permissions: z.array(Permission),
  /** The administrator role always holds every permission. */
  editable: z.boolean(),
});
export type RoleView = z.infer<typeof RoleView>;

export const LoginView = z.object({
  id: z.string(),
  username: z.string(),
  displayName: z.string().nullable(),
  deviceId: z.string(),
  /** The device's name when this computer knows it (office devices sync the school's devices). */
  deviceName: z.string().nullable(),
  at: z.string(),
  success: z.boolean(),
  offline: z.boolean(),
  reason: z.string().nullable(),
});
export type LoginView = z.infer<typeof LoginView>;
export { LoginRow, RoleRow, PERMISSIONS };

export const StaffView = z.object({
  id: z.string(),
  username: z.string(),
  displayName: z.string(),
  roleId: z.string(),
  roleName: z.string().nullable(),
  active: z.boolean(),
});
export type StaffView = z.infer<typeof StaffView>;

/** A change the server refused, kept on this device until someone resends or discards it. */
export const AttentionItem = z.object({
  id: z.int(),
  name: z.string(),
  /** What the change was, in words (e.g. "Payment of KES 1,500.00 for Ian Onyango, receipt DEMO-D1-000007"). */
  summary: z.string(),
  reason: z.string(),
  createdAt: z.string(),
  /** The refused change's arguments, for a correction to start from. */
  args: z.record(z.string(), z.unknown()),
  /** Whether it can be corrected here (attention.fix); otherwise `instead` says where to make it again. */
  fixable: z.boolean(),
  instead: z.string().nullable(),
});
export type AttentionItem = z.infer<typeof AttentionItem>;

/**
 * Every method the renderer may call, with its input and output schemas. Both transports
 * (Electron IPC and the browser host's HTTP) serve exactly this table, and both validate the
 * input against it before any core code runs.
 */
export const DeviceState = z.object({
  /** False on a computer that has not been enrolled with a school yet: only enrolment works. */
  enrolled: z.boolean(),
});
export type DeviceState = z.infer<typeof DeviceState>;

export const api = {
  'device.state': { access: 'public', input: Empty, output: DeviceState },
  /** Enrols this computer with a school, using a code from the school's administrator. */
  'device.enrol': {
    access: 'public',
    input: z.object({
      serverUrl: z.url({ protocol: /^https?$/, error: 'Enter the school server’s address, e.g. http://192.168.1.10:3100' }),
      enrolmentCode: z.string().trim().min(4, { error: 'Enter the enrolment code from your administrator.' }).max(64),
      deviceName: z.string().trim().min(1, { error: 'Give this computer a name, e.g. "Bursar office".' }).max(64),
    }),
    output: AppInfo,
  },
  'app.info': { access: 'public', input: Empty, output: AppInfo },

  'auth.session': { access: 'public', input: Empty, output: Session },
  'auth.login': { access: 'public', input: z.object({ username: Username, password: z.string().min(1).max(200) }), output: Session },
  'auth.logout': { access: 'public', input: Empty, output: Session },
  'auth.changePassword': {
    access: 'signed-in',
    input: z.object({ currentPassword: z.string().min(1).max(200), newPassword: Password }),
    output: z.object({ changed: z.literal(true) }),
  },

  // ---- the school office (issue 5): one file per domain ----
  ...studentsApi,
  ...studentImportApi,
  ...attendanceApi,
  ...calendarApi,
  ...reportsApi,
  ...messagesApi,
  ...conflictsApi,
  ...officeApi,
  ...syncApi,

  'payments.record': { access: 'payments.record', input: RecordPaymentInput, output: PaymentView },
  /** Payments from a CSV file (a bank or mobile-money statement): a dry run checks it and saves
   * nothing; otherwise rows [fromRow, toRow) are recorded, or nothing if the file has a problem. */
  'payments.importCsv': { access: 'payments.record', input: PaymentImportInput, output: PaymentImportResult },
  'payments.listForStudent': {
    access: 'payments.view',
    input: z.object({ studentId: z.uuid() }),
    output: z.object({ rows: z.array(PaymentView) }),
  },

  'fees.categories': { access: 'payments.view', input: Empty, output: z.object({ categories: z.array(FeeCategoryRow) }) },
  'fees.createCategory': { access: 'fees.manage', input: z.object({ name: z.string().trim().min(1, { error: 'Name the fee category.' }).max(60) }), output: FeeCategoryRow },
  'charges.post': {
    access: 'fees.manage',
    input: z.object({
      studentId: z.uuid({ error: 'Choose a student.' }),
      categoryId: z.uuid({ error: 'Choose a fee category.' }),
      description: z.string().trim().max(120).default(''),
      amountMinor: AmountMinor,
      term: z.string().trim().max(40).nullable().default(null),
      dueOn: IsoDate,
    }),
    output: StatementEntry,
  },
  'ledger.void': {
    access: 'payments.void',
    input: z.object({ targetTable: VoidableTable, targetId: z.uuid(), reason: VoidReason }),
    output: z.object({ voided: z.literal(true) }),
  },
  'students.statement': { access: 'payments.view', input: z.object({ studentId: z.uuid() }), output: Statement },

  // ---- bursary (issue 4): all offline, derived from the ledger on this device ----
  'terms.list': { access: 'signed-in', input: Empty, output: z.object({ terms: z.array(TermRow), currentTermId: z.string().nullable() }) },
  'fees.structures': { access: 'payments.view', input: Empty, output: z.object({ structures: z.array(FeeStructureView) }) },
  /** Creates (no id) or replaces a class's structure for a term. */
  'fees.saveStructure': {
    access: 'fees.manage',
    input: z.object({
      id: z.uuid().optional(),
      className: z.string().trim().min(1, { error: 'Name the class, e.g. "Grade 4".' }).max(40),
      term: z.string().trim().min(1, { error: 'Name the term, e.g. "Term 1 2027".' }).max(40),
      items: FeeStructureItems,
      active: z.boolean().default(true),
    }),
    output: FeeStructureView,
  },
  /** Charges the structure to the class's enrolled students (or the ones named) who do not
   * carry it yet: one charge per instalment, with the instalment's due date. */
  'fees.applyStructure': {
    access: 'fees.manage',
    input: z.object({ structureId: z.uuid(), studentIds: z.array(z.uuid()).min(1).max(5000).optional() }),
    output: z.object({ studentsCharged: z.int(), chargesPosted: z.int(), studentsSkipped: z.int() }),
  },
  'discounts.grant': {
    access: 'fees.manage',
    input: z
      .object({
        studentId: z.uuid({ error: 'Choose a student.' }),
        categoryId: z.uuid().nullable().default(null),
        kind: DiscountKind,
        basis: DiscountBasis,
        /** Basis points for a percentage (2500 = 25%). */
        percentBp: z.int({ error: 'Give the percentage as a whole number of hundredths of a percent.' }).min(1, { error: 'The percentage must be above 0.' }).max(10_000, { error: 'A discount cannot be more than 100%.' }).optional(),
        amountMinor: AmountMinor.optional(),
        /** The term whose charges a percentage is worked out on (all of the student's charges when absent). */
        term: z.string().trim().min(1).max(40).nullable().default(null),
        reason: VoidReason,
      })
      .refine((d) => (d.basis === 'percent' ? d.percentBp !== undefined && d.amountMinor === undefined : d.amountMinor !== undefined && d.percentBp === undefined), {
        path: ['amountMinor'],
        error: 'Give a percentage for a percentage discount, or an amount for a fixed one.',
      }),
    output: StatementEntry,
  },
  'refunds.record': {
    access: 'payments.void',
    input: z
      .object({
        studentId: z.uuid({ error: 'Choose a student.' }),
        amountMinor: AmountMinor,
        method: PaymentMethod.default('cash'),
        reference: PaymentReference.optional(),
        reason: VoidReason,
      })
      .refine((r) => r.method === 'cash' || r.reference !== undefined, { path: ['reference'], error: 'Give the reference of the transfer, cheque or message.' }),
    output: StatementEntry,
  },
  'payments.receipt': { access: 'payments.view', input: z.object({ paymentId: z.uuid() }), output: Receipt },
  'ledger.payments': { access: 'payments.view', input: listInput(TimeCursor), output: PaymentsPage },
  'ledger.charges': { access: 'payments.view', input: listInput(TimeCursor), output: ChargesPage },
  'ledger.arrears': { access: 'payments.view', input: listInput(NameCursor), output: ArrearsPage },
  'ledger.dashboard': { access: 'payments.view', input: Empty, output: BursaryDashboard },

  'expenses.list': { access: 'payments.view', input: listInput(TimeCursor), output: ExpensesPage },
  'expenses.categories': { access: 'payments.view', input: Empty, output: z.object({ categories: z.array(z.string()) }) },
  'expenses.record': {
    access: 'expenses.record',
    input: z
      .object({
        category: z.string().trim().min(1, { error: 'Choose or type an expense category.' }).max(60),
        payee: z.string().trim().min(1, { error: 'Say who was paid.' }).max(120),
        description: z.string().trim().max(200).default(''),
        amountMinor: AmountMinor,
        method: PaymentMethod.default('cash'),
        reference: PaymentReference.optional(),
        spentOn: IsoDate,
        attachments: z.array(AttachmentName).max(10, { error: 'At most 10 attachments per expense.' }).default([]),
      })
      .refine((e) => e.method === 'cash' || e.reference !== undefined, { path: ['reference'], error: 'Give the reference of the transfer, cheque or message.' }),
    output: ExpenseListItem,
  },
  'expenses.decide': {
    access: 'expenses.approve',
    input: z.object({ expenseId: z.uuid(), decision: ExpenseDecision, note: z.string().trim().max(200).default('') }),
    output: ExpenseListItem,
  },

  /** The signed-in bursar's day on this device: expected per method, and the cash-up if closed. */
  'cashup.preview': { access: 'payments.record', input: z.object({ businessDate: IsoDate.optional() }), output: CashUpView },
  'cashup.close': {
    access: 'payments.record',
    input: z.object({ businessDate: IsoDate.optional(), counted: CountedTotals, note: z.string().trim().max(500).default('') }),
    output: CashUpView,
  },
  'cashup.list': {
    access: 'payments.view',
    input: z.object({ after: TimeCursor.nullable().default(null), limit: z.int().min(1).max(500).default(100) }),
    output: z.object({ rows: z.array(CashUpListItem), next: TimeCursor.nullable() }),
  },

  'roles.list': { access: 'signed-in', input: Empty, output: z.object({ roles: z.array(RoleView) }) },
  'roles.update': {
    access: 'roles.manage',
    input: z.object({ roleId: z.uuid(), permissions: z.array(Permission).max(64) }),
    output: RoleView,
  },

  'staff.list': { access: 'staff.manage', input: Empty, output: z.object({ staff: z.array(StaffView) }) },
  /** Offline-capable: role, name and enabled/disabled sync like any edit. */
  'staff.update': {
    access: 'staff.manage',
    input: mutationArgs['staff.update'],
    output: StaffView,
  },
  // Online only: passwords never travel through the sync log.
  'staff.create': {
    access: 'staff.manage',
    input: z.object({ username: Username, displayName: DisplayName, roleId: z.uuid(), password: Password }),
    output: StaffView,
  },
  'staff.unlock': { access: 'staff.manage', input: z.object({ staffId: z.uuid() }), output: z.object({ unlocked: z.literal(true) }) },
  'staff.resetPassword': {
    access: 'staff.manage',
    input: z.object({ staffId: z.uuid(), newPassword: Password }),
    output: z.object({ changed: z.literal(true) }),
  },

  'logins.list': {
    access: 'logins.view',
    input: z.object({ before: z.object({ at: z.string(), id: z.string() }).nullable().optional(), limit: z.int().min(1).max(500).default(100) }),
    output: z.object({ rows: z.array(LoginView), next: z.object({ at: z.string(), id: z.string() }).nullable() }),
  },

  // Online only: these ask the sync server, and say so when it cannot be reached.
  'devices.list': { access: 'devices.manage', input: Empty, output: z.object({ devices: z.array(DeviceSummary) }) },
  'devices.createEnrolmentCode': { access: 'devices.manage', input: z.object({ profile: DeviceProfile }), output: EnrolmentCode },
  'devices.revoke': { access: 'devices.manage', input: z.object({ deviceId: z.uuid() }), output: DeviceSummary },
  'audit.list': {
    access: 'audit.view',
    input: z.object({ before: z.int().positive().optional(), limit: z.int().min(1).max(1000).default(200) }),
    output: AuditPage,
  },
  'audit.exportCsv': { access: 'audit.view', input: Empty, output: z.object({ filename: z.string(), csv: z.string() }) },

  'attention.list': { access: 'signed-in', input: Empty, output: z.object({ rows: z.array(AttentionItem) }) },
  /** Queues the refused change again, as the signed-in person (whose permission is checked). */
  'attention.resend': { access: 'signed-in', input: z.object({ id: z.int().positive() }), output: z.object({ resent: z.literal(true) }) },
  /** Queues the refused change again with `args` corrected (arguments left out stay as they were;
   * identifying ones cannot change), as the signed-in person (whose permission is checked). */
  'attention.fix': {
    access: 'signed-in',
    input: z.object({ id: z.int().positive(), args: z.record(z.string(), z.unknown()) }),
    output: z.object({ fixed: z.literal(true) }),
  },
  /** Gives the refused change up; it was never accepted by the school. */
  'attention.discard': { access: 'signed-in', input: z.object({ id: z.int().positive() }), output: z.object({ discarded: z.literal(true) }) },
} as const satisfies MethodTable;

export type Api = typeof api;
export type ApiMethod = keyof Api;
export type ApiInput<K extends ApiMethod> = z.input<Api[K]['input']>;
export type ApiParsedInput<K extends ApiMethod> = z.output<Api[K]['input']>;
export type ApiOutput<K extends ApiMethod> = z.output<Api[K]['output']>;

export function isApiMethod(name: unknown): name is ApiMethod {
  return typeof name === 'string' && Object.prototype.hasOwnProperty.call(api, name);
}

/** The shape every handler module implements: a function per method, input already validated. */
export type Handlers = {
  [K in ApiMethod]: (input: ApiParsedInput<K>, user: SessionUserType | null) => Promise<ApiOutput<K>> | ApiOutput<K>;
};

/** The transport-independent client the renderer holds. */
export interface ApiClient {
  invoke<K extends ApiMethod>(method: K, input: ApiInput<K>): Promise<ApiOutput<K>>;
}

/** Name under which preload exposes the IPC bridge on `window`. */
export const BRIDGE_KEY = 'schoolhouse';
/** IPC channel carrying every API call. */
export const IPC_CHANNEL = 'schoolhouse:invoke';
/** Header carrying the browser host's per-run secret. */
export const HOST_SECRET_HEADER = 'x-schoolhouse-secret';
export const HOST_INVOKE_PATH = '/api/invoke';

/** What either transport sends back: a result or an error body, never a thrown exception. */
export type InvokeReply<T> = { ok: true; value: T } | { ok: false; error: import('./errors.js').ErrorBody };
