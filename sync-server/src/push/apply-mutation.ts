import type { Kysely } from 'kysely';
import { mutationArgs, MUTATION_PERMISSION, type MutationName } from '../../../shared/sync/mutations.js';
import type { MutationEnvelope, MutationResult } from '../../../shared/sync/protocol.js';
import type { ServerDatabase } from '../db/schema.js';
import type { DeviceIdentity } from '../auth/device-auth.js';
import { appliers } from '../apply/index.js';
import type { Applier, ApplyOutcome, SchoolSettings } from '../apply/types.js';
import { withTenant, type TenantTrx } from '../db/with-tenant.js';
import { loadStaffMember, refusal, type StaffMember } from '../staff/authorise.js';
import { MUTATION_VERSIONS, upgradeArgs, type MutationVersionWindow } from './mutation-versions.js';

/** Mutations that can change a staff member's role or permissions: a later check in the same
 * push must read the staff member again. */
const CHANGES_STAFF: ReadonlySet<MutationName> = new Set<MutationName>(['roles.update', 'staff.update']);

type Recorded = { status: 'applied' } | { status: 'rejected'; reason: string };

function toResult(mutationId: string, outcome: Recorded): MutationResult {
  return outcome.status === 'applied'
    ? { mutationId, status: 'applied' }
    : { mutationId, status: 'rejected', reason: outcome.reason };
}

function describeArgsError(name: string, issues: readonly { path: PropertyKey[]; message: string }[]): string {
  const parts = issues.map((i) => `${i.path.length ? i.path.map(String).join('.') : '(args)'}: ${i.message}`);
  return `Invalid arguments for ${name}: ${parts.join('; ')}`;
}

/** Mutation `index` of a push threw: the attempt's transaction was rolled back. */
class MutationFailed extends Error {
  constructor(
    readonly index: number,
    readonly error: unknown,
  ) {
    super('a mutation failed');
  }
}

/**
 * Applies a push request's mutations exactly once each, in the device's order (a later one may
 * depend on an earlier one), in ONE transaction behind the school's lock: a push of 20 payments
 * costs one BEGIN/COMMIT, one lock, one read of the idempotency records and one write of them,
 * instead of 20 of each. A mutation's domain rows, their changes and its idempotency record
 * still commit together or not at all.
 *
 * A mutation that throws (a bug, a lost connection) rolls the attempt back; the mutations before
 * it are then applied again in a transaction of their own and committed, and the error is
 * reported, as when each mutation had its own transaction: the device resends from the one that
 * failed, and the earlier ones are answered from their records.
 */
export async function applyMutations(
  db: Kysely<ServerDatabase>,
  device: DeviceIdentity,
  mutations: readonly MutationEnvelope[],
  versions: MutationVersionWindow = MUTATION_VERSIONS,
): Promise<MutationResult[]> {
  try {
    return await applyInOneTransaction(db, device, mutations, versions);
  } catch (e) {
    if (!(e instanceof MutationFailed)) throw e;
    if (e.index > 0) {
      try {
        await applyInOneTransaction(db, device, mutations.slice(0, e.index), versions);
      } catch (again) {
        throw again instanceof MutationFailed ? again.error : again;
      }
    }
    throw e.error;
  }
}

async function applyInOneTransaction(
  db: Kysely<ServerDatabase>,
  device: DeviceIdentity,
  mutations: readonly MutationEnvelope[],
  versions: MutationVersionWindow,
): Promise<MutationResult[]> {
  // A format this server cannot read is refused but not recorded: once the server is updated,
  // the same mutation (same id) must be able to apply.
  const upgraded = mutations.map((m) => upgradeArgs(m, versions));
  const readable = mutations.filter((_, i) => upgraded[i]!.ok);
  if (readable.length === 0) return mutations.map((m, i) => unreadable(m, upgraded[i]!));

  return withTenant(db, device.tenantId, async (trx) => {
    // The school's mutations are decided one at a time: the tenant row is locked (as every write
    // that takes a seq does) before anything is read. A check then sees every earlier decision
    // (two administrators demoting each other offline cannot both succeed), a resent push finds
    // the records of the first one (so it never applies twice), and the row locks taken below
    // always come after this one, so concurrent pushes cannot deadlock.
    const school = await lockSchool(trx, device.tenantId);
    const recorded = await readRecords(trx, device, readable);
    const staff = new Map<string, StaffMember | undefined>();
    const toRecord: Parameters<typeof recordAll>[2] = [];
    const results: MutationResult[] = [];
    for (const [i, m] of mutations.entries()) {
      const up = upgraded[i]!;
      if (!up.ok) {
        results.push(unreadable(m, up));
        continue;
      }
      // Also answers a mutation sent twice in one push from the first one's outcome.
      const prior = recorded.get(m.id);
      if (prior) {
        results.push(toResult(m.id, prior));
        continue;
      }
      let outcome: ApplyOutcome;
      try {
        outcome = await decide(trx, device, school, staff, m, up.args);
      } catch (e) {
        throw new MutationFailed(i, e);
      }
      if (outcome.status === 'applied' && CHANGES_STAFF.has(m.name)) staff.clear();
      recorded.set(m.id, outcome);
      toRecord.push({ m, outcome });
      results.push(toResult(m.id, outcome));
    }
    await recordAll(trx, device, toRecord);
    return results;
  });
}

function unreadable(m: MutationEnvelope, check: ReturnType<typeof upgradeArgs>): MutationResult {
  if (check.ok) throw new Error('unreadable() called for a readable mutation');
  return { mutationId: m.id, status: 'rejected', reason: check.reason, recorded: false };
}

/** Locks the school's row until commit and reads its settings (which no mutation changes). */
async function lockSchool(trx: TenantTrx, tenantId: string): Promise<SchoolSettings> {
  const t = await trx.selectFrom('tenants').select(['currency', 'time_zone']).where('id', '=', tenantId).forNoKeyUpdate().executeTakeFirstOrThrow();
  return { currency: t.currency, timeZone: t.time_zone };
}

/** The outcomes already recorded for these mutations of this device (a resent push). */
async function readRecords(trx: TenantTrx, device: DeviceIdentity, mutations: readonly MutationEnvelope[]): Promise<Map<string, Recorded>> {
  const rows = await trx
    .selectFrom('applied_mutations')
    .select(['mutation_id', 'status', 'reason'])
    .where('tenant_id', '=', device.tenantId)
    .where('device_id', '=', device.deviceId)
    .where('mutation_id', 'in', [...new Set(mutations.map((m) => m.id))])
    .execute();
  return new Map(rows.map((r) => [r.mutation_id, r.status === 'applied' ? { status: 'applied' } : { status: 'rejected', reason: r.reason ?? 'Rejected.' }]));
}

/** The idempotency records of a push's decided mutations, in one statement. */
async function recordAll(trx: TenantTrx, device: DeviceIdentity, decided: { m: MutationEnvelope; outcome: ApplyOutcome }[]): Promise<void> {
  if (decided.length === 0) return;
  await trx
    .insertInto('applied_mutations')
    .values(
      decided.map(({ m, outcome }) => ({
        tenant_id: device.tenantId,
        device_id: device.deviceId,
        mutation_id: m.id,
        device_seq: m.seq,
        name: m.name,
        status: outcome.status,
        reason: outcome.status === 'rejected' ? outcome.reason : null,
        author_id: m.authorId,
      })),
    )
    .execute();
}

async function decide(
  trx: TenantTrx,
  device: DeviceIdentity,
  school: SchoolSettings,
  staff: Map<string, StaffMember | undefined>,
  m: MutationEnvelope,
  args: unknown,
): Promise<ApplyOutcome> {
  const name: MutationName = m.name;
  const parsed = mutationArgs[name].safeParse(args);
  if (!parsed.success) return { status: 'rejected', reason: describeArgsError(name, parsed.error.issues) };
  // The author's role as it is now, not when the device made the change: device clocks cannot
  // order an offline change against a demotion, and the server's apply order is the only
  // order there is. A refusal is recorded, so the device moves it to "needs attention". The
  // staff row is locked (FOR SHARE) until commit, so within this push only its own role and
  // staff changes can alter it (CHANGES_STAFF).
  const permission = MUTATION_PERMISSION[name];
  if (permission) {
    let member: StaffMember | undefined;
    if (m.authorId) {
      if (!staff.has(m.authorId)) staff.set(m.authorId, await loadStaffMember(trx, device.tenantId, m.authorId));
      member = staff.get(m.authorId);
    }
    const refused = refusal(member, permission, m.authorId);
    if (refused) return { status: 'rejected', reason: refused };
  }
  const applier = appliers[name] as Applier<unknown>;
  return applier({ trx, device, school, mutationId: m.id, authorId: m.authorId }, parsed.data);
}
