import type { Kysely } from 'kysely';
import type { LocalDatabase } from '../store/database.js';
import type { SessionUser } from '../../../shared/domain/staff.js';
import { PERMISSIONS, PERMISSION_LABELS, type Permission } from '../../../shared/domain/permissions.js';
import type { Access } from '../../../shared/api/contract.js';
import { AppError } from '../../../shared/api/errors.js';

export interface StaffToken {
  token: string;
  expiresAt: string;
}

/**
 * Who is signed in on this device. Permissions are read from the synced staff and roles rows
 * on every check, so a change made at the school (a demotion, a disabled account) takes effect
 * here as soon as it syncs, online or not.
 */
export class Session {
  readonly #db: Kysely<LocalDatabase>;
  #userId: string | null = null;
  #offline = false;
  /** The server's view at an online sign-in, used until the staff rows have synced here. */
  #serverUser: SessionUser | null = null;
  #staffToken: StaffToken | null = null;
  /** Whether this person's staff row has been seen here during the session. */
  #seenLocally = false;

  constructor(db: Kysely<LocalDatabase>) {
    this.#db = db;
  }

  start(user: SessionUser, options: { offline: boolean; staffToken?: StaffToken }): void {
    this.#userId = user.id;
    this.#offline = options.offline;
    this.#serverUser = options.offline ? null : user;
    this.#staffToken = options.staffToken ?? null;
    this.#seenLocally = false;
  }

  /** A password change revokes the old token; the server sends the one to use instead. */
  renewStaffToken(staffToken: StaffToken): void {
    if (this.#userId) this.#staffToken = staffToken;
  }

  end(): void {
    this.#userId = null;
    this.#offline = false;
    this.#serverUser = null;
    this.#staffToken = null;
  }

  get offline(): boolean {
    return this.#offline;
  }

  /** The staff token for online-only calls, if this sign-in was checked by the server and is fresh. */
  get staffToken(): string | null {
    if (!this.#staffToken || Date.parse(this.#staffToken.expiresAt) <= Date.now()) return null;
    return this.#staffToken.token;
  }

  /** The signed-in person as the synced rows describe them now; ends the session when the
   * account was disabled or removed at the school. */
  async user(): Promise<SessionUser | null> {
    if (!this.#userId) return null;
    const local = await loadSessionUser(this.#db, this.#userId);
    // Disabled, or removed after we saw the row (a synced deletion), or an offline sign-in
    // whose row is gone: the person may no longer use the app here.
    if (local === 'disabled' || (local === undefined && (this.#seenLocally || !this.#serverUser))) {
      this.end();
      return null;
    }
    if (local) this.#seenLocally = true;
    return local ?? this.#serverUser;
  }

  /** Throws unless the signed-in person may do what `access` names. */
  async require(access: Access): Promise<SessionUser | null> {
    if (access === 'public') return this.user();
    const user = await this.user();
    if (!user) throw new AppError('unauthenticated', 'Sign in to continue.');
    if (access !== 'signed-in' && !user.permissions.includes(access)) {
      throw new AppError('forbidden', `Your role (${user.roleName}) does not allow this: ${PERMISSION_LABELS[access]}. Ask an administrator if you need it.`);
    }
    return user;
  }
}

/** undefined: no such staff row here; 'disabled': the school disabled the account. */
export async function loadSessionUser(db: Kysely<LocalDatabase>, userId: string): Promise<SessionUser | 'disabled' | undefined> {
  const row = await db
    .selectFrom('staff')
    .leftJoin('roles', 'roles.id', 'staff.role_id')
    .select(['staff.id', 'staff.username', 'staff.display_name', 'staff.role_id', 'staff.active', 'roles.name as role_name', 'roles.permissions'])
    .where('staff.id', '=', userId)
    .executeTakeFirst();
  if (!row) return undefined;
  if (!row.active) return 'disabled';
  const granted = new Set<string>(row.permissions ? (JSON.parse(row.permissions) as string[]) : []);
  return {
    id: row.id,
    username: row.username,
    displayName: row.display_name,
    roleId: row.role_id,
    roleName: row.role_name ?? 'No role',
    permissions: PERMISSIONS.filter((p): p is Permission => granted.has(p)),
  };
}
