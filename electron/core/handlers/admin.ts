import type { Handlers } from '../../../shared/api/contract.js';
import {
  ADMIN_AUDIT_PATH,
  ADMIN_DEVICES_PATH,
  ADMIN_ENROLMENT_CODES_PATH,
  AuditPage,
  DeviceSummary,
  EnrolmentCode,
} from '../../../shared/sync/protocol.js';
import { AppError } from '../../../shared/api/errors.js';
import { z } from 'zod';
import { callServer } from '../auth/server-call.js';
import type { CoreContext } from './context.js';

/** Online-only administration, passed through to the sync server with the staff token. The
 * server's answers are validated like any other input. */
export function adminHandlers({ device, session, fetch }: CoreContext): Pick<
  Handlers,
  'devices.list' | 'devices.createEnrolmentCode' | 'devices.revoke' | 'audit.list' | 'audit.exportCsv'
> {
  async function get<S extends z.ZodType>(schema: S, path: string, body?: unknown): Promise<z.output<S>> {
    const reply = await callServer<unknown>(device, path, { asStaff: session, ...(body === undefined ? {} : { body }) }, fetch);
    const parsed = schema.safeParse(reply);
    if (!parsed.success) throw new AppError('unavailable', 'The school server sent an answer this app cannot read. Is the server up to date?');
    return parsed.data;
  }
  return {
    'devices.list': () => get(z.object({ devices: z.array(DeviceSummary) }), ADMIN_DEVICES_PATH),
    'devices.createEnrolmentCode': ({ profile }) => get(EnrolmentCode, ADMIN_ENROLMENT_CODES_PATH, { profile }),
    'devices.revoke': ({ deviceId }) => get(DeviceSummary, `${ADMIN_DEVICES_PATH}/${encodeURIComponent(deviceId)}/revoke`, {}),
    'audit.list': ({ before, limit }) => get(AuditPage, `${ADMIN_AUDIT_PATH}?limit=${limit}${before ? `&before=${before}` : ''}`),
    'audit.exportCsv': async () => {
      const csv = await callServer<string>(device, `${ADMIN_AUDIT_PATH}?format=csv`, { asStaff: session, accept: 'text' }, fetch);
      return { filename: `audit-${device.school_id}-${new Date().toISOString().slice(0, 10)}.csv`, csv };
    },
  };
}
