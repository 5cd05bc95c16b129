import { z } from 'zod';
import { Permission } from './permissions.js';

export const USERNAME_PATTERN = /^[a-z0-9][a-z0-9._-]{1,31}$/;
export const Username = z
  .string()
  .trim()
  .toLowerCase()
  .regex(USERNAME_PATTERN, { error: 'A username is 2 to 32 letters, digits, dots, dashes or underscores.' });

/** Passwords are checked for length only: long beats complicated, and staff must remember them. */
export const Password = z
  .string()
  .min(10, { error: 'A password needs at least 10 characters.' })
  .max(200, { error: 'A password can have at most 200 characters.' });

/** A staff account as synced to devices: never a password hash. */
export const StaffRow = z.object({
  id: z.uuid(),
  username: Username,
  display_name: z.string().min(1).max(80),
  role_id: z.uuid(),
  active: z.boolean(),
});
export type StaffRow = z.infer<typeof StaffRow>;

export const RoleRow = z.object({
  id: z.uuid(),
  /** The built-in role this is (administrator, bursar, …), or null for a school's own role. */
  key: z.string().max(40).nullable(),
  name: z.string().min(1).max(60),
  permissions: z.array(Permission),
});
export type RoleRow = z.infer<typeof RoleRow>;

/** One login attempt, online (recorded by the server) or offline (recorded by the device). */
export const LoginRow = z.object({
  id: z.uuid(),
  user_id: z.uuid().nullable(),
  username: z.string().max(64),
  device_id: z.uuid(),
  at: z.string(),
  success: z.boolean(),
  offline: z.boolean(),
  reason: z.string().max(200).nullable(),
});
export type LoginRow = z.infer<typeof LoginRow>;

/** Who is using the app now, and what they may do. */
export const SessionUser = z.object({
  id: z.uuid(),
  username: z.string(),
  displayName: z.string(),
  roleId: z.uuid(),
  roleName: z.string(),
  permissions: z.array(Permission),
});
export type SessionUser = z.infer<typeof SessionUser>;

/** A device as the school's office devices see it (never its token). */
export const DeviceRow = z.object({
  id: z.uuid(),
  name: z.string().min(1).max(64),
  profile: z.enum(['office', 'teacher_room']),
  receipt_series: z.string(),
  enrolled_at: z.string(),
  revoked_at: z.string().nullable(),
});
export type DeviceRow = z.infer<typeof DeviceRow>;

export const DisplayName = z.string().trim().min(1, { error: 'Enter the person’s name.' }).max(80);
