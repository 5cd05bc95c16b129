import type { Handlers, StaffView } from '../../../shared/api/contract.js';
import { ADMIN_STAFF_PATH, StaffRowResponse } from '../../../shared/sync/protocol.js';
import { AppError } from '../../../shared/api/errors.js';
import { callServer } from '../auth/server-call.js';
import { updateStaff } from '../commands/update-staff.js';
import { listStaff } from '../queries/staff.js';
import { signedIn, type CoreContext } from './context.js';

export function staffHandlers({ store, device, session, sync, fetch }: CoreContext): Pick<
  Handlers,
  'staff.list' | 'staff.update' | 'staff.create' | 'staff.unlock' | 'staff.resetPassword'
> {
  const staffPath = (id: string, action: string) => `${ADMIN_STAFF_PATH}/${encodeURIComponent(id)}/${action}`;
  return {
    'staff.list': async () => ({ staff: await listStaff(store.db) }),
    'staff.update': async (input, user) => {
      const view = await updateStaff(store.db, signedIn(user), input);
      sync.kick();
      return view;
    },
    'staff.create': async (input): Promise<StaffView> => {
      const reply = StaffRowResponse.safeParse(await callServer<unknown>(device, ADMIN_STAFF_PATH, { body: input, asStaff: session }, fetch));
      if (!reply.success) throw new AppError('unavailable', 'The school server sent an answer this app cannot read. Is the server up to date?');
      const role = await store.db.selectFrom('roles').select('name').where('id', '=', reply.data.role_id).executeTakeFirst();
      return {
        id: reply.data.id,
        username: reply.data.username,
        displayName: reply.data.display_name,
        roleId: reply.data.role_id,
        roleName: role?.name ?? null,
        active: reply.data.active,
      };
    },
    'staff.unlock': async ({ staffId }) => {
      await callServer(device, staffPath(staffId, 'unlock'), { body: {}, asStaff: session }, fetch);
      return { unlocked: true as const };
    },
    'staff.resetPassword': async ({ staffId, newPassword }) => {
      await callServer(device, staffPath(staffId, 'password'), { body: { newPassword }, asStaff: session }, fetch);
      return { changed: true as const };
    },
  };
}
