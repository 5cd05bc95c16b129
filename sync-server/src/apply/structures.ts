import { isDeepStrictEqual } from 'node:util';
import { sql } from 'kysely';
import { structureRowFromArgs, type MutationArgs } from '../../../shared/sync/mutations.js';
import type { FeeStructureItem } from '../../../shared/domain/fees.js';
import { formatMinor } from '../../../shared/money.js';
import type { TenantTrx } from '../db/with-tenant.js';
import { saveFeeStructure } from '../ledger/rows.js';
import { reject, type Applier } from './types.js';

/** "Tuition KES 1,200.00, Lunch KES 300.00": a structure's fees, for refusals. */
async function describeItems(trx: TenantTrx, tenantId: string, currency: string, items: readonly FeeStructureItem[]): Promise<string> {
  const ids = items.map((i) => i.categoryId);
  const names = new Map(
    (await trx.selectFrom('fee_categories').select(['id', 'name']).where('tenant_id', '=', tenantId).where('id', 'in', ids).execute()).map((c) => [c.id, c.name]),
  );
  return items.map((i) => `${names.get(i.categoryId) ?? 'a removed category'} ${formatMinor(i.amountMinor, currency)}`).join(', ');
}

/**
 * Creates a class's fee structure for a term, or saves a new version of one (the latest save
 * wins, in server order). Its fees must name active categories of this school, and a class has
 * at most one active structure per term (a unique index holds that under concurrent pushes
 * too). Charges already applied from an earlier version are not changed.
 */
export const saveStructure: Applier<MutationArgs<'fees.saveStructure'>> = async ({ trx, device, school, mutationId, authorId }, args) => {
  const { tenantId, deviceId } = device;
  const title = `the ${args.className} fee structure for ${args.term}`;

  const ids = args.items.map((i) => i.categoryId);
  const categories = await trx.selectFrom('fee_categories').select(['id', 'name', 'active', 'deleted']).where('tenant_id', '=', tenantId).where('id', 'in', ids).execute();
  for (const id of ids) {
    const category = categories.find((c) => c.id === id);
    if (!category || category.deleted) {
      return reject(`A fee in ${title} names a fee category that does not exist in this school (it may have been removed); choose another category. The structure was not saved.`);
    }
    // Switching a structure off must stay possible after one of its categories went out of use.
    if (!category.active && args.active) {
      return reject(`The fee category "${category.name}" is inactive, so ${title} cannot use it; choose an active category. The structure was not saved.`);
    }
  }

  if (args.active) {
    const other = await trx
      .selectFrom('fee_structures')
      .select(['class_name', 'term', 'items'])
      .where('tenant_id', '=', tenantId)
      .where('id', '!=', args.id)
      .where(sql<string>`lower(class_name)`, '=', args.className.toLowerCase())
      .where(sql<string>`lower(term)`, '=', args.term.toLowerCase())
      .where('active', '=', true)
      .where('deleted', '=', false)
      .executeTakeFirst();
    if (other) {
      return reject(
        `${other.class_name} already has an active fee structure for ${other.term} (${await describeItems(trx, tenantId, school.currency, other.items)}); edit that one, or make it inactive first. This one was not saved.`,
      );
    }
  }

  const row = structureRowFromArgs(args);
  const { id: _id, ...saved } = row;
  const existing = await trx
    .selectFrom('fee_structures')
    .select(['class_name', 'term', 'items', 'active'])
    .where('tenant_id', '=', tenantId)
    .where('id', '=', args.id)
    .executeTakeFirst();
  // Saved as it already is (the same save made on two devices): nothing to log.
  if (existing && isDeepStrictEqual(existing, saved)) return { status: 'applied' };
  await saveFeeStructure(trx, tenantId, row, existing ? 'update' : 'insert', { mutationId, deviceId, authorId });
  return { status: 'applied' };
};
