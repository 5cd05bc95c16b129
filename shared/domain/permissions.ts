import { z } from 'zod';

/** Every action a role can be allowed. Checked in three places: the UI hides what a role cannot
 * do, core refuses the command, and the server refuses the mutation. */
export const PERMISSIONS = [
  'students.view',
  'students.update',
  'payments.view',
  'payments.record',
  'payments.void',
  'fees.manage',
  'expenses.record',
  'expenses.approve',
  'attendance.mark',
  'reportcards.publish',
  'classes.manage',
  'scores.enter',
  'events.manage',
  'staff.manage',
  'roles.manage',
  'devices.manage',
  'logins.view',
  'audit.view',
] as const;
export const Permission = z.enum(PERMISSIONS);
export type Permission = z.infer<typeof Permission>;

export const PERMISSION_LABELS: Record<Permission, string> = {
  'students.view': 'See students',
  'students.update': 'Edit students',
  'payments.view': 'See payments and balances',
  'payments.record': 'Record payments',
  'payments.void': 'Void ledger entries and refund overpayments',
  'fees.manage': 'Manage fees, post charges and grant discounts',
  'expenses.record': 'Record expenses',
  'expenses.approve': 'Approve or reject expenses',
  'attendance.mark': 'Mark attendance',
  'reportcards.publish': 'Publish report cards',
  'classes.manage': 'Manage classes, subjects, grading scales and promotion',
  'scores.enter': 'Enter assessments, scores and report card comments',
  'events.manage': 'Manage the school calendar',
  'staff.manage': 'Manage staff accounts',
  'roles.manage': 'Edit roles and permissions',
  'devices.manage': 'Enrol and revoke devices',
  'logins.view': 'See login history',
  'audit.view': 'See and export the audit trail',
};

/** The roles every new school starts with. Their permissions are editable, except the
 * administrator's: a school can never lock itself out of its own settings. */
export const BUILTIN_ROLES = [
  { key: 'administrator', name: 'Administrator', permissions: [...PERMISSIONS] },
  {
    key: 'head_teacher',
    name: 'Head teacher',
    permissions: [
      'students.view',
      'students.update',
      'payments.view',
      'expenses.approve',
      'attendance.mark',
      'reportcards.publish',
      'classes.manage',
      'scores.enter',
      'events.manage',
      'logins.view',
      'audit.view',
    ],
  },
  { key: 'bursar', name: 'Bursar', permissions: ['students.view', 'payments.view', 'payments.record', 'payments.void', 'fees.manage', 'expenses.record'] },
  { key: 'registrar', name: 'Registrar', permissions: ['students.view', 'students.update', 'classes.manage', 'events.manage'] },
  { key: 'teacher', name: 'Teacher', permissions: ['students.view', 'attendance.mark', 'scores.enter'] },
  { key: 'auditor', name: 'Read-only auditor', permissions: ['students.view', 'payments.view', 'logins.view', 'audit.view'] },
] as const satisfies readonly { key: string; name: string; permissions: readonly Permission[] }[];

export const ADMINISTRATOR_ROLE_KEY = 'administrator';

/** Where a device sits decides what it receives: teacher-room devices get no bursary data. */
export const DEVICE_PROFILES = ['office', 'teacher_room'] as const;
export const DeviceProfile = z.enum(DEVICE_PROFILES);
export type DeviceProfile = z.infer<typeof DeviceProfile>;
