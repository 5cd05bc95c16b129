import type { Kysely } from 'kysely';
import type { Device, LocalDatabase } from '../store/database.js';
import { AUTH_LOGIN_PATH, LoginResponse } from '../../../shared/sync/protocol.js';
import { AppError, isErrorBody } from '../../../shared/api/errors.js';
import { uuidv7 } from '../../../shared/ids.js';
import type { SessionUser } from '../../../shared/domain/staff.js';
import { appendMutation } from '../outbox/outbox.js';
import { hashPassword, verifyPassword } from './local-password.js';
import { loadSessionUser, type Session } from './session.js';

export const OFFLINE_MAX_FAILURES = 5;
export const OFFLINE_LOCK_MS = 15 * 60_000;

export interface SignInContext {
  db: Kysely<LocalDatabase>;
  device: Device;
  session: Session;
  fetch: typeof fetch;
}

/** Remembers a password that the server just accepted, for signing in here while offline. */
export async function rememberPassword(db: Kysely<LocalDatabase>, userId: string, username: string, password: string): Promise<void> {
  const password_hash = await hashPassword(password);
  await db.transaction().execute(async (tx) => {
    await tx.deleteFrom('local_credentials').where('username', '=', username).where('user_id', '<>', userId).execute();
    await tx
      .insertInto('local_credentials')
      .values({ user_id: userId, username, password_hash, locked_until: null, updated_at: new Date().toISOString() })
      .onConflict((oc) => oc.column('user_id').doUpdateSet({ username, password_hash, failed_attempts: 0, locked_until: null, updated_at: new Date().toISOString() }))
      .execute();
  });
}

/** A sign-in checked here while offline goes into the school's login history like any other. */
async function recordOfflineAttempt(ctx: SignInContext, userId: string | null, username: string, success: boolean, reason: string | null): Promise<void> {
  const row = { id: uuidv7(), user_id: userId, username, device_id: ctx.device.device_id, at: new Date().toISOString(), success: success ? 1 : 0, offline: 1, reason };
  await ctx.db.transaction().execute(async (tx) => {
    await appendMutation(tx, 'logins.record', { id: row.id, userId, username, at: row.at, success, reason }, [{ table: 'login_history', id: row.id }], userId);
    await tx.insertInto('login_history').values(row).execute();
  });
}

type Online = { kind: 'ok'; reply: LoginResponse } | { kind: 'refused'; error: AppError } | { kind: 'unreachable' };

async function tryOnline(ctx: SignInContext, username: string, password: string): Promise<Online> {
  let res: Response;
  try {
    res = await ctx.fetch(new URL(AUTH_LOGIN_PATH, ctx.device.server_url), {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${ctx.device.token}` },
      body: JSON.stringify({ username, password }),
      signal: AbortSignal.timeout(10_000),
    });
  } catch {
    return { kind: 'unreachable' };
  }
  if (res.status >= 500) return { kind: 'unreachable' };
  const body: unknown = await res.json().catch(() => null);
  if (res.ok) {
    const parsed = LoginResponse.safeParse(body);
    return parsed.success ? { kind: 'ok', reply: parsed.data } : { kind: 'unreachable' };
  }
  const message = isErrorBody(body) ? body.message : `The school server refused the sign-in (${res.status}).`;
  return { kind: 'refused', error: new AppError(res.status === 401 ? 'unauthenticated' : res.status === 429 ? 'unavailable' : 'forbidden', message) };
}

async function signInOffline(ctx: SignInContext, username: string, password: string): Promise<SessionUser> {
  const cred = await ctx.db.selectFrom('local_credentials').selectAll().where('username', '=', username).executeTakeFirst();
  if (!cred) {
    throw new AppError(
      'unavailable',
      `The school server cannot be reached, and ${username} has not signed in on this computer before. Sign in once while connected; after that, signing in works offline too.`,
    );
  }
  if (cred.locked_until && Date.parse(cred.locked_until) > Date.now()) {
    await recordOfflineAttempt(ctx, cred.user_id, username, false, 'locked on this computer');
    const until = new Date(cred.locked_until).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' });
    throw new AppError('forbidden', `Too many wrong passwords on this computer. Try again after ${until}, or sign in while connected to the school server.`);
  }
  if (!(await verifyPassword(password, cred.password_hash))) {
    const failures = cred.failed_attempts + 1;
    await ctx.db
      .updateTable('local_credentials')
      .set({ failed_attempts: failures, locked_until: failures >= OFFLINE_MAX_FAILURES ? new Date(Date.now() + OFFLINE_LOCK_MS).toISOString() : null })
      .where('user_id', '=', cred.user_id)
      .execute();
    await recordOfflineAttempt(ctx, cred.user_id, username, false, 'wrong password');
    throw new AppError('unauthenticated', 'Wrong username or password.');
  }
  const user = await loadSessionUser(ctx.db, cred.user_id);
  if (user === 'disabled') {
    await recordOfflineAttempt(ctx, cred.user_id, username, false, 'account disabled');
    throw new AppError('forbidden', 'This account has been disabled at the school. Ask an administrator.');
  }
  if (!user) {
    throw new AppError('unavailable', 'Your staff details have not reached this computer yet. Connect to the school server and sign in again.');
  }
  await ctx.db.updateTable('local_credentials').set({ failed_attempts: 0, locked_until: null }).where('user_id', '=', cred.user_id).execute();
  await recordOfflineAttempt(ctx, user.id, username, true, null);
  return user;
}

/**
 * Signs a person in: by the sync server when it answers (which also refreshes the password this
 * computer remembers), else here, offline, for people who signed in on this computer before.
 * A wrong password or a locked account at the server is final: it never falls back to offline.
 */
export async function signIn(ctx: SignInContext, username: string, password: string): Promise<void> {
  const online = await tryOnline(ctx, username, password);
  if (online.kind === 'refused') throw online.error;
  if (online.kind === 'ok') {
    const { user, accessToken, expiresAt } = online.reply;
    await rememberPassword(ctx.db, user.id, user.username, password);
    ctx.session.start(user, { offline: false, staffToken: { token: accessToken, expiresAt } });
    return;
  }
  const user = await signInOffline(ctx, username, password);
  ctx.session.start(user, { offline: true });
}
