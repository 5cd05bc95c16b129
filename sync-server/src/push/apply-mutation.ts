import type { Kysely } from 'kysely';
import { mutationArgs, MUTATION_PERMISSION, type MutationName } from '../../../shared/sync/mutations.js';
import type { MutationEnvelope, MutationResult } from '../../../shared/sync/protocol.js';
import type { ServerDatabase } from '../db/schema.js';
import type { DeviceIdentity } from '../auth/device-auth.js';
import { appliers } from '../apply/index.js';
import type { Applier, ApplyOutcome } from '../apply/types.js';
import { withTenant, type TenantTrx } from '../db/with-tenant.js';
import { loadStaffMember, refusal } from '../staff/authorise.js';
import { MUTATION_VERSIONS, upgradeArgs, type MutationVersionWindow } from './mutation-versions.js';

const UNIQUE_VIOLATION = '23505';
const MAX_ATTEMPTS = 3;

function isUniqueViolation(e: unknown): boolean {
  return typeof e === 'object' && e !== null && (e as { code?: unknown }).code === UNIQUE_VIOLATION;
}

function toResult(mutationId: string, outcome: ApplyOutcome): MutationResult {
  return outcome.status === 'applied'
    ? { mutationId, status: 'applied' }
    : { mutationId, status: 'rejected', reason: outcome.reason };
}

function describeArgsError(name: string, issues: readonly { path: PropertyKey[]; message: string }[]): string {
  const parts = issues.map((i) => `${i.path.length ? i.path.map(String).join('.') : '(args)'}: ${i.message}`);
  return `Invalid arguments for ${name}: ${parts.join('; ')}`;
}

/** Applies one pushed mutation exactly once, in its own transaction: the domain rows, their
 * changes and the idempotency record commit together or not at all. */
export async function applyMutation(db: Kysely<ServerDatabase>, device: DeviceIdentity, m: MutationEnvelope, versions: MutationVersionWindow = MUTATION_VERSIONS): Promise<MutationResult> {
  // A format this server cannot read is refused but not recorded: once the server is updated,
  // the same mutation (same id) must be able to apply.
  const upgraded = upgradeArgs(m, versions);
  if (!upgraded.ok) return { mutationId: m.id, status: 'rejected', reason: upgraded.reason, recorded: false };
  for (let attempt = 1; ; attempt++) {
    try {
      return await applyOnce(db, device, m, upgraded.args);
    } catch (e) {
      // Two identical pushes racing: the loser hits a unique key; on retry it finds the
      // winner's idempotency record and returns the stored result.
      if (!isUniqueViolation(e) || attempt >= MAX_ATTEMPTS) throw e;
    }
  }
}

async function applyOnce(db: Kysely<ServerDatabase>, device: DeviceIdentity, m: MutationEnvelope, args: unknown): Promise<MutationResult> {
  return withTenant(db, device.tenantId, async (trx) => {
    const recorded = await trx
      .selectFrom('applied_mutations')
      .select(['status', 'reason'])
      .where('tenant_id', '=', device.tenantId)
      .where('device_id', '=', device.deviceId)
      .where('mutation_id', '=', m.id)
      .executeTakeFirst();
    if (recorded) {
      return toResult(m.id, recorded.status === 'applied' ? { status: 'applied' } : { status: 'rejected', reason: recorded.reason ?? 'Rejected.' });
    }

    const outcome = await decide(trx, device, m, args);
    await trx
      .insertInto('applied_mutations')
      .values({
        tenant_id: device.tenantId,
        device_id: device.deviceId,
        mutation_id: m.id,
        device_seq: m.seq,
        name: m.name,
        status: outcome.status,
        reason: outcome.status === 'rejected' ? outcome.reason : null,
        author_id: m.authorId,
      })
      .execute();
    return toResult(m.id, outcome);
  });
}

async function decide(trx: TenantTrx, device: DeviceIdentity, m: MutationEnvelope, args: unknown): Promise<ApplyOutcome> {
  const name: MutationName = m.name;
  const parsed = mutationArgs[name].safeParse(args);
  if (!parsed.success) return { status: 'rejected', reason: describeArgsError(name, parsed.error.issues) };
  // The author's role as it is now, not when the device made the change: device clocks cannot
  // order an offline change against a demotion, and the server's apply order is the only
  // order there is. A refusal is recorded, so the device moves it to "needs attention".
  //
  // The school's mutations are decided one at a time: the tenant row is locked (as every write
  // that takes a seq does) before anything is read. A check then sees every earlier decision
  // (two administrators demoting each other offline cannot both succeed), and the row locks
  // taken below always come after this one, so concurrent pushes cannot deadlock.
  await trx.selectFrom('tenants').select('id').where('id', '=', device.tenantId).forNoKeyUpdate().execute();
  const permission = MUTATION_PERMISSION[name];
  if (permission) {
    const member = m.authorId ? await loadStaffMember(trx, device.tenantId, m.authorId) : undefined;
    const refused = refusal(member, permission, m.authorId);
    if (refused) return { status: 'rejected', reason: refused };
  }
  const applier = appliers[name] as Applier<unknown>;
  return applier({ trx, device, mutationId: m.id, authorId: m.authorId }, parsed.data);
}
