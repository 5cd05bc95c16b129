import type { Kysely, Transaction } from 'kysely';
import type { LocalDatabase } from '../store/database.js';
import { AppError } from '../../../shared/api/errors.js';
import { uuidv7 } from '../../../shared/ids.js';
import { formatMinor } from '../../../shared/money.js';
import type { FeeStructureItem } from '../../../shared/domain/fees.js';
import type { FeeStructureView } from '../../../shared/domain/bursary-views.js';
import type { SessionUser } from '../../../shared/domain/staff.js';
import type { ApiParsedInput, ApiOutput } from '../../../shared/api/contract.js';
import { structureChargeId, structureRowFromArgs, type MutationArgs } from '../../../shared/sync/mutations.js';
import { appendMutation } from '../outbox/outbox.js';
import { requireDevice } from '../device/device-state.js';
import { structureView } from '../queries/structures.js';
import { insertCharge, requireActiveCategory } from './ledger.js';

// Fee structures: what a class pays in a term (editable, the latest save wins), and applying
// one, which posts its charges to the class as ordinary insert-only charges.

/** The local effect of saving a structure (new or resent): its fees must be in use, and a class
 * has at most one active structure per term (the server checks the same). */
export async function writeStructureLocally(tx: Transaction<LocalDatabase>, args: MutationArgs<'fees.saveStructure'>, currency: string): Promise<void> {
  // Switching a structure off must stay possible after one of its categories went out of use.
  if (args.active) for (const item of args.items) await requireActiveCategory(tx, item.categoryId);
  if (args.active) {
    const other = await tx
      .selectFrom('fee_structures')
      .select(['class_name', 'term', 'items'])
      // As on the server: "grade 4" and "Grade 4" are one class.
      .where((eb) => eb(eb.fn('lower', ['class_name']), '=', args.className.toLowerCase()))
      .where((eb) => eb(eb.fn('lower', ['term']), '=', args.term.toLowerCase()))
      .where('active', '=', 1)
      .where('id', '<>', args.id)
      .executeTakeFirst();
    if (other) {
      const items = JSON.parse(other.items) as FeeStructureItem[];
      const total = items.reduce((s, i) => s + i.amountMinor, 0);
      throw new AppError(
        'conflict',
        `${other.class_name} already has an active fee structure for ${other.term} (${items.length} ${items.length === 1 ? 'fee' : 'fees'}, ${formatMinor(total, currency)} in all). Edit that one, or make it inactive first.`,
      );
    }
  }
  const row = structureRowFromArgs(args);
  const values = { ...row, items: JSON.stringify(row.items), active: row.active ? 1 : 0 };
  await tx
    .insertInto('fee_structures')
    .values(values)
    .onConflict((oc) => oc.column('id').doUpdateSet({ class_name: values.class_name, term: values.term, items: values.items, active: values.active }))
    .execute();
}

export async function saveStructure(db: Kysely<LocalDatabase>, author: SessionUser, input: ApiParsedInput<'fees.saveStructure'>): Promise<FeeStructureView> {
  const device = await requireDevice(db);
  const args: MutationArgs<'fees.saveStructure'> = { id: input.id ?? uuidv7(), className: input.className, term: input.term, items: input.items, active: input.active };
  await db.transaction().execute(async (tx) => {
    if (input.id && !(await tx.selectFrom('fee_structures').select('id').where('id', '=', input.id).executeTakeFirst())) {
      throw new AppError('not_found', 'That fee structure is not on this device. Sync, then try again.');
    }
    await appendMutation(tx, 'fees.saveStructure', args, [{ table: 'fee_structures', id: args.id }], author.id);
    await writeStructureLocally(tx, args, device.currency);
  });
  return (await structureView(db, args.id))!;
}

async function studentsToCharge(tx: Transaction<LocalDatabase>, className: string, studentIds: string[] | undefined): Promise<string[]> {
  if (!studentIds) {
    const rows = await tx.selectFrom('students').select('id').where('class_name', '=', className).where('status', '=', 'enrolled').orderBy('id').execute();
    if (rows.length === 0) throw new AppError('conflict', `No enrolled student is in ${className} on this device, so nothing was charged. Sync, or check the class name.`);
    return rows.map((r) => r.id);
  }
  const wanted = [...new Set(studentIds)];
  const rows = await tx.selectFrom('students').select(['id', 'status', 'first_name', 'last_name', 'admission_no']).where('id', 'in', wanted).execute();
  if (rows.length < wanted.length) {
    const missing = wanted.length - rows.length;
    throw new AppError('not_found', `${missing === 1 ? 'One of the students chosen is' : `${missing} of the students chosen are`} not on this device, so nothing was charged. Sync, then try again.`);
  }
  const notEnrolled = rows.find((r) => r.status !== 'enrolled');
  if (notEnrolled) {
    throw new AppError('conflict', `${notEnrolled.first_name} ${notEnrolled.last_name} (${notEnrolled.admission_no}) is ${notEnrolled.status}; fees are charged to enrolled students only. Nothing was charged.`);
  }
  return wanted;
}

/**
 * Charges a structure to its class's enrolled students (or the ones named): one charges.post
 * per instalment of each fee, with an id derived from structure, student, fee and due date, so
 * students who already carry a charge (applied here or on another computer) are not charged
 * twice. All of it is one transaction: the whole class is charged, or nobody.
 */
export async function applyStructure(db: Kysely<LocalDatabase>, author: SessionUser, input: ApiParsedInput<'fees.applyStructure'>): Promise<ApiOutput<'fees.applyStructure'>> {
  const device = await requireDevice(db);
  return db.transaction().execute(async (tx) => {
    const structure = await tx.selectFrom('fee_structures').selectAll().where('id', '=', input.structureId).executeTakeFirst();
    if (!structure) throw new AppError('not_found', 'That fee structure is not on this device. Sync, then try again.');
    if (!structure.active) throw new AppError('conflict', `The fee structure for ${structure.class_name}, ${structure.term} is inactive. Make it active before applying it.`);
    const items = JSON.parse(structure.items) as FeeStructureItem[];
    for (const item of items) await requireActiveCategory(tx, item.categoryId);
    const students = await studentsToCharge(tx, structure.class_name, input.studentIds);
    const existing = new Set((await tx.selectFrom('charges').select('id').where('structure_id', '=', structure.id).execute()).map((c) => c.id));

    const postedAt = new Date().toISOString();
    let studentsCharged = 0;
    let chargesPosted = 0;
    for (const studentId of students) {
      let posted = 0;
      for (const item of items) {
        for (const instalment of item.instalments) {
          const id = structureChargeId(structure.id, studentId, item.categoryId, instalment.dueOn);
          if (existing.has(id)) continue;
          const args: MutationArgs<'charges.post'> = {
            id,
            studentId,
            categoryId: item.categoryId,
            description: '',
            amountMinor: instalment.amountMinor,
            currency: device.currency,
            term: structure.term,
            dueOn: instalment.dueOn,
            postedAt,
            postedBy: author.displayName,
            structureId: structure.id,
          };
          await appendMutation(tx, 'charges.post', args, [{ table: 'charges', id }], author.id);
          await insertCharge(tx, args, device.device_id);
          posted++;
        }
      }
      if (posted > 0) studentsCharged++;
      chargesPosted += posted;
    }
    return { studentsCharged, chargesPosted, studentsSkipped: students.length - studentsCharged };
  });
}
