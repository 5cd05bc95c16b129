import type { Kysely, Transaction } from 'kysely';
import type { LocalDatabase } from '../store/database.js';
import { AppError } from '../../../shared/api/errors.js';
import { uuidv7 } from '../../../shared/ids.js';
import { DEFAULT_MAX_PAYMENT_MINOR, formatMinor } from '../../../shared/money.js';
import type { ApiParsedInput } from '../../../shared/api/contract.js';
import type { SessionUser } from '../../../shared/domain/staff.js';
import { discountRowFromArgs, type MutationArgs } from '../../../shared/sync/mutations.js';
import { appendMutation } from '../outbox/outbox.js';
import { requireDevice } from '../device/device-state.js';
import { requireEnrolledStudent } from './enrolled-student.js';
import { isLive } from '../queries/ledger-sql.js';

// Discounts and scholarships: an amount off a student's bill, as an insert-only ledger row. A
// percentage becomes an amount when it is granted, so the ledger only ever holds amounts.

interface Scope {
  studentId: string;
  categoryId: string | null;
  term: string | null;
}

/** What a discount applies to: the student's live charges of its category (or all), of its
 * term (or every term). */
async function discountBase(tx: Transaction<LocalDatabase>, scope: Scope): Promise<number> {
  let q = tx
    .selectFrom('charges as c')
    .select((eb) => eb.fn.coalesce(eb.fn.sum<number>('c.amount_minor'), eb.lit(0)).as('base'))
    .where('c.student_id', '=', scope.studentId)
    .where(isLive('c.id'));
  if (scope.categoryId !== null) q = q.where('c.category_id', '=', scope.categoryId);
  if (scope.term !== null) q = q.where('c.term', '=', scope.term);
  return Number((await q.executeTakeFirstOrThrow()).base);
}

async function describeScope(tx: Transaction<LocalDatabase>, scope: Scope): Promise<string> {
  const category = scope.categoryId === null ? null : await tx.selectFrom('fee_categories').select('name').where('id', '=', scope.categoryId).executeTakeFirst();
  const what = category ? `${category.name} charges` : 'charges';
  return scope.term === null ? what : `${what} for ${scope.term}`;
}

/** round-half-up(percentBp / 10000 × base), in integers (BigInt: base × 10000 may pass 2^53). */
export function percentOf(base: number, percentBp: number): number {
  return Number((BigInt(base) * BigInt(percentBp) + 5_000n) / 10_000n);
}

/** The student's base for this discount, refusing a discount with nothing to apply to. */
async function requireBase(tx: Transaction<LocalDatabase>, scope: Scope, student: string): Promise<number> {
  if (scope.categoryId !== null && !(await tx.selectFrom('fee_categories').select('id').where('id', '=', scope.categoryId).executeTakeFirst())) {
    throw new AppError('not_found', 'That fee category is not on this device. Sync, then try again.');
  }
  const base = await discountBase(tx, scope);
  if (base === 0) throw new AppError('conflict', `${student} has no ${await describeScope(tx, scope)} to discount. Post the charges first.`);
  return base;
}

/** The local effect of a discount (new or resent): a percentage is that share of what it applies
 * to now, a fixed amount never more than it (the server checks the same). */
export async function writeDiscountLocally(tx: Transaction<LocalDatabase>, args: MutationArgs<'discounts.grant'>, deviceId: string, currency: string): Promise<void> {
  const student = await requireEnrolledStudent(tx, args.studentId, 'discounts are granted to enrolled students only');
  const base = await requireBase(tx, args, student);
  if (args.percentBp !== null && args.amountMinor !== percentOf(base, args.percentBp)) {
    throw new AppError(
      'conflict',
      `${args.percentBp / 100}% of ${student}'s ${await describeScope(tx, args)} (${formatMinor(base, currency)}) is now ${formatMinor(percentOf(base, args.percentBp), currency)}, not ${formatMinor(args.amountMinor, currency)}: the charges changed since it was worked out. Discard this and grant it again.`,
    );
  }
  if (args.amountMinor > base) {
    throw new AppError(
      'conflict',
      `A discount of ${formatMinor(args.amountMinor, currency)} is more than ${student}'s ${await describeScope(tx, args)} (${formatMinor(base, currency)}). Give at most that amount.`,
    );
  }
  await tx.insertInto('discounts').values(discountRowFromArgs(args, deviceId)).execute();
}

/** Grants a discount or scholarship; a percentage is worked out on the charges it applies to now. */
export async function grantDiscount(db: Kysely<LocalDatabase>, author: SessionUser, input: ApiParsedInput<'discounts.grant'>): Promise<string> {
  const device = await requireDevice(db);
  return db.transaction().execute(async (tx) => {
    let amountMinor = input.amountMinor ?? 0;
    if (input.basis === 'percent') {
      const student = await requireEnrolledStudent(tx, input.studentId, 'discounts are granted to enrolled students only');
      const base = await requireBase(tx, input, student);
      amountMinor = percentOf(base, input.percentBp!);
      if (amountMinor === 0) {
        throw new AppError('conflict', `${input.percentBp! / 100}% of ${formatMinor(base, device.currency)} rounds to nothing; give a larger percentage or a fixed amount.`);
      }
      if (amountMinor > DEFAULT_MAX_PAYMENT_MINOR) {
        throw new AppError('conflict', `That discount would be ${formatMinor(amountMinor, device.currency)}, more than any single ledger entry may hold; check the charges it applies to.`);
      }
    }
    const args: MutationArgs<'discounts.grant'> = {
      id: uuidv7(),
      studentId: input.studentId,
      categoryId: input.categoryId,
      kind: input.kind,
      basis: input.basis,
      percentBp: input.basis === 'percent' ? input.percentBp! : null,
      amountMinor,
      term: input.term,
      reason: input.reason,
      postedAt: new Date().toISOString(),
      postedBy: author.displayName,
    };
    await appendMutation(tx, 'discounts.grant', args, [{ table: 'discounts', id: args.id }], author.id);
    await writeDiscountLocally(tx, args, device.device_id, device.currency);
    return args.id;
  });
}
