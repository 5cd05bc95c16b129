import type { FastifyInstance } from 'fastify';
import type { Kysely } from 'kysely';
import { z } from 'zod';
import { AppError } from '../../../shared/api/errors.js';
import {
  ADMIN_AUDIT_PATH,
  ADMIN_DEVICES_PATH,
  ADMIN_ENROLMENT_CODES_PATH,
  ADMIN_STAFF_PATH,
  AuditQuery,
  CreateEnrolmentCodeRequest,
  CreateStaffRequest,
  ResetPasswordRequest,
  type AuditPage,
  type DeviceSummary,
  type EnrolmentCode,
} from '../../../shared/sync/protocol.js';
import type { StaffRow } from '../../../shared/domain/staff.js';
import { parseInput } from '../../../shared/validate.js';
import { auditCsv, auditPage } from '../admin/audit.js';
import { deviceSummary, listDevices } from '../admin/devices.js';
import { createStaff, resetStaffPassword, unlockStaff } from '../admin/staff.js';
import { authenticateStaff } from '../auth/staff-auth.js';
import type { ServerDatabase } from '../db/schema.js';
import { withTenant } from '../db/with-tenant.js';
import { revokeDevice } from '../devices/enrol-device.js';
import { issueEnrolmentCode } from '../devices/enrolment-codes.js';

const DeviceIdParam = z.object({ id: z.uuid({ error: 'The device id in the path must be a UUID.' }) });
const StaffIdParam = z.object({ id: z.uuid({ error: 'The staff id in the path must be a UUID.' }) });
const AuditFormat = z.object({ format: z.enum(['json', 'csv']).default('json') });

/** Online administration. Every route: device token + staff access token, the permission from
 * the person's current role, and the school from the tokens only. */
export function registerAdminRoutes(app: FastifyInstance, db: Kysely<ServerDatabase>, jwtSecret: string): void {
  app.post(ADMIN_ENROLMENT_CODES_PATH, async (request): Promise<EnrolmentCode> => {
    const { device, staff } = await authenticateStaff(db, request, jwtSecret, 'devices.manage');
    const body = parseInput(CreateEnrolmentCodeRequest, request.body, 'enrolment code request');
    return withTenant(db, device.tenantId, (trx) => issueEnrolmentCode(trx, device.tenantId, body.profile, staff.id));
  });

  app.get(ADMIN_DEVICES_PATH, async (request): Promise<{ devices: DeviceSummary[] }> => {
    const { device } = await authenticateStaff(db, request, jwtSecret, 'devices.manage');
    return { devices: await listDevices(db, device.tenantId) };
  });

  app.post(`${ADMIN_DEVICES_PATH}/:id/revoke`, async (request): Promise<DeviceSummary> => {
    const { device, staff } = await authenticateStaff(db, request, jwtSecret, 'devices.manage');
    const { id } = parseInput(DeviceIdParam, request.params, 'device');
    // Scoped to the caller's school: another school's device id is simply not found.
    if (!(await revokeDevice(db, device.tenantId, id, { deviceId: device.deviceId, authorId: staff.id }))) throw new AppError('not_found', 'No such device is enrolled in this school.');
    return (await deviceSummary(db, device.tenantId, id))!;
  });

  // Staff accounts. Role, name and enabled state change through the staff.update mutation
  // (offline-capable); creating an account and passwords are online only.
  app.post(ADMIN_STAFF_PATH, async (request): Promise<StaffRow> => {
    const who = await authenticateStaff(db, request, jwtSecret, 'staff.manage');
    return createStaff(db, who, parseInput(CreateStaffRequest, request.body, 'new staff account'));
  });

  app.post(`${ADMIN_STAFF_PATH}/:id/unlock`, async (request): Promise<{ unlocked: true }> => {
    const { device } = await authenticateStaff(db, request, jwtSecret, 'staff.manage');
    const { id } = parseInput(StaffIdParam, request.params, 'staff member');
    await unlockStaff(db, device.tenantId, id);
    return { unlocked: true };
  });

  app.post(`${ADMIN_STAFF_PATH}/:id/password`, async (request): Promise<{ changed: true }> => {
    const { device } = await authenticateStaff(db, request, jwtSecret, 'staff.manage');
    const { id } = parseInput(StaffIdParam, request.params, 'staff member');
    const { newPassword } = parseInput(ResetPasswordRequest, request.body, 'password reset');
    await resetStaffPassword(db, device.tenantId, id, newPassword);
    return { changed: true };
  });

  app.get(ADMIN_AUDIT_PATH, async (request, reply): Promise<AuditPage | string> => {
    const { device } = await authenticateStaff(db, request, jwtSecret, 'audit.view');
    const query = parseInput(AuditQuery, request.query, 'audit query');
    const { format } = parseInput(AuditFormat, request.query, 'audit query');
    const page = await auditPage(db, device.tenantId, query);
    if (format === 'json') return page;
    reply.header('content-type', 'text/csv; charset=utf-8');
    reply.header('content-disposition', 'attachment; filename="audit.csv"');
    return auditCsv(page.rows);
  });
}
