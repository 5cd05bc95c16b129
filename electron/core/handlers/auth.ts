import type { Handlers } from '../../../shared/api/contract.js';
import { AUTH_PASSWORD_PATH, ChangePasswordResponse } from '../../../shared/sync/protocol.js';
import { signIn, rememberPassword } from '../auth/sign-in.js';
import { callServer } from '../auth/server-call.js';
import { signedIn, type CoreContext } from './context.js';

export function authHandlers(ctx: CoreContext): Pick<Handlers, 'auth.session' | 'auth.login' | 'auth.logout' | 'auth.changePassword'> {
  const { store, device, session } = ctx;
  const current = async () => ({ user: await session.user(), offline: session.offline });
  return {
    'auth.session': current,
    'auth.login': async ({ username, password }) => {
      session.end();
      await signIn({ db: store.db, device, session, fetch: ctx.fetch }, username, password);
      return current();
    },
    'auth.logout': async () => {
      session.end();
      return current();
    },
    'auth.changePassword': async ({ currentPassword, newPassword }, user) => {
      const me = signedIn(user);
      const reply = ChangePasswordResponse.safeParse(
        await callServer(device, AUTH_PASSWORD_PATH, { body: { currentPassword, newPassword }, asStaff: session }, ctx.fetch),
      );
      await rememberPassword(store.db, me.id, me.username, newPassword);
      // The password did change; without a readable token the next online action asks to sign in again.
      if (reply.success) session.renewStaffToken({ token: reply.data.accessToken, expiresAt: reply.data.expiresAt });
      return { changed: true as const };
    },
  };
}
