import type { RoleRow, StaffRow, LoginRow } from '../../../shared/domain/staff.js';
import type { Permission } from '../../../shared/domain/permissions.js';
import { allocateSeqs, appendChanges, type ChangeOrigin } from '../changes/append.js';
import type { TenantTrx } from '../db/with-tenant.js';

// Synced staff data is written like every synced row: a new _seq and a change in the same
// transaction. Staff rows go out as StaffRow only: password hash, failed attempts and lock
// state never reach the change log or a device.

export function staffRow(s: { id: string; username: string; display_name: string; role_id: string; active: boolean }): StaffRow {
  return { id: s.id, username: s.username, display_name: s.display_name, role_id: s.role_id, active: s.active };
}

export async function insertRole(trx: TenantTrx, tenantId: string, role: RoleRow, origin: ChangeOrigin): Promise<void> {
  const seq = await allocateSeqs(trx, tenantId, 1);
  await trx.insertInto('roles').values({ tenant_id: tenantId, ...role, permissions: JSON.stringify(role.permissions), _seq: seq }).execute();
  await appendChanges(trx, tenantId, [{ seq, table: 'roles', rowId: role.id, op: 'insert', row: role }], origin);
}

export async function updateRolePermissions(trx: TenantTrx, tenantId: string, role: RoleRow, permissions: Permission[], origin: ChangeOrigin): Promise<void> {
  const seq = await allocateSeqs(trx, tenantId, 1);
  await trx
    .updateTable('roles')
    .set({ permissions: JSON.stringify(permissions), _seq: seq })
    .where('tenant_id', '=', tenantId)
    .where('id', '=', role.id)
    .execute();
  await appendChanges(trx, tenantId, [{ seq, table: 'roles', rowId: role.id, op: 'update', row: { ...role, permissions } }], origin);
}

export async function insertStaff(trx: TenantTrx, tenantId: string, row: StaffRow, passwordHash: string, origin: ChangeOrigin): Promise<void> {
  const seq = await allocateSeqs(trx, tenantId, 1);
  const clean = staffRow(row);
  await trx.insertInto('staff').values({ tenant_id: tenantId, ...clean, password_hash: passwordHash, _seq: seq }).execute();
  await appendChanges(trx, tenantId, [{ seq, table: 'staff', rowId: row.id, op: 'insert', row: clean }], origin);
}

/** Changes a staff member's synced fields (role, active, name) and logs the new state. */
export async function updateStaff(
  trx: TenantTrx,
  tenantId: string,
  id: string,
  patch: Partial<Pick<StaffRow, 'display_name' | 'role_id' | 'active'>>,
  origin: ChangeOrigin,
): Promise<StaffRow> {
  const seq = await allocateSeqs(trx, tenantId, 1);
  const updated = await trx
    .updateTable('staff')
    .set({ ...patch, _seq: seq })
    .where('tenant_id', '=', tenantId)
    .where('id', '=', id)
    .returning(['id', 'username', 'display_name', 'role_id', 'active'])
    .executeTakeFirstOrThrow();
  const row = staffRow(updated);
  await appendChanges(trx, tenantId, [{ seq, table: 'staff', rowId: id, op: 'update', row }], origin);
  return row;
}

/** Appends one login attempt (insert-only). Returns false if the id was already recorded. */
export async function insertLogin(trx: TenantTrx, tenantId: string, row: LoginRow, origin: ChangeOrigin): Promise<boolean> {
  const exists = await trx.selectFrom('login_history').select('id').where('tenant_id', '=', tenantId).where('id', '=', row.id).executeTakeFirst();
  if (exists) return false;
  const seq = await allocateSeqs(trx, tenantId, 1);
  await trx.insertInto('login_history').values({ tenant_id: tenantId, ...row, _seq: seq }).execute();
  await appendChanges(trx, tenantId, [{ seq, table: 'login_history', rowId: row.id, op: 'insert', row }], origin);
  return true;
}
