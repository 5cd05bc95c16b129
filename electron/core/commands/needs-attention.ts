import type { Kysely, Selectable, Transaction } from 'kysely';
import type { Device, LocalDatabase, NeedsAttentionTable } from '../store/database.js';
import { AppError } from '../../../shared/api/errors.js';
import { mutationArgs, MUTATION_PERMISSION, type MutationArgs, type MutationName } from '../../../shared/sync/mutations.js';
import { PERMISSION_LABELS } from '../../../shared/domain/permissions.js';
import type { SessionUser } from '../../../shared/domain/staff.js';
import { appendMutation, type RowRef, type SameMutation } from '../outbox/outbox.js';
import { correctedArgs } from './attention-fixes.js';
import { requireDevice } from '../device/device-state.js';
import { writePaymentLocally } from './record-payment.js';
import { writeRoleLocally } from './update-role.js';
import { writeStaffLocally } from './update-staff.js';
import { writeCategoryLocally, writeChargeLocally, writeVoidLocally } from './ledger.js';
import { writeStructureLocally } from './fee-structures.js';
import { writeDiscountLocally } from './discounts.js';
import { writeRefundLocally } from './refunds.js';
import { writeDecisionLocally, writeExpenseLocally } from './expenses.js';
import { writeCashUpLocally } from './cashup.js';
import { writeRecordsLocally } from './save-records.js';
import { writeMessageLocally, writeMessageReadLocally } from './messages.js';
import { writeConflictResolutionLocally } from './conflicts.js';
import type { EditableTable } from '../../../shared/sync/editable.js';

interface Replay<K extends MutationName> {
  /** The synced rows the change writes (queued with it BEFORE writing, as every command does, so
   * an edited row's server copy is kept for a refusal). */
  rows: (args: MutationArgs<K>) => RowRef[];
  write: (tx: Transaction<LocalDatabase>, args: MutationArgs<K>, by: { device: Device; author: SessionUser }) => Promise<unknown>;
}

/** How each kind of change is put back on this device when it is resent: the same local
 * effect, with the same business rules, as when it was first made, by whoever resends it. */
const replays: { [K in MutationName]: Replay<K> } = {
  'payments.record': { rows: (a) => [{ table: 'payments', id: a.id }], write: (tx, a, { device, author }) => writePaymentLocally(tx, a, device, author) },
  'roles.update': { rows: (a) => [{ table: 'roles', id: a.roleId }], write: (tx, a) => writeRoleLocally(tx, a) },
  'staff.update': { rows: (a) => [{ table: 'staff', id: a.staffId }], write: (tx, a, { author }) => writeStaffLocally(tx, a, author) },
  'fees.createCategory': { rows: (a) => [{ table: 'fee_categories', id: a.id }], write: (tx, a) => writeCategoryLocally(tx, a) },
  'charges.post': { rows: (a) => [{ table: 'charges', id: a.id }], write: (tx, a, { device }) => writeChargeLocally(tx, a, device.device_id) },
  'fees.saveStructure': { rows: (a) => [{ table: 'fee_structures', id: a.id }], write: (tx, a, { device }) => writeStructureLocally(tx, a, device.currency) },
  'discounts.grant': { rows: (a) => [{ table: 'discounts', id: a.id }], write: (tx, a, { device }) => writeDiscountLocally(tx, a, device.device_id, device.currency) },
  'refunds.record': { rows: (a) => [{ table: 'refunds', id: a.id }], write: (tx, a, { device, author }) => writeRefundLocally(tx, a, device, author) },
  'expenses.record': { rows: (a) => [{ table: 'expenses', id: a.id }], write: (tx, a, { device, author }) => writeExpenseLocally(tx, a, device, author) },
  'expenses.decide': { rows: (a) => [{ table: 'expense_approvals', id: a.id }], write: (tx, a, { device, author }) => writeDecisionLocally(tx, a, device.device_id, author) },
  'cashup.close': { rows: (a) => [{ table: 'cash_ups', id: a.id }], write: (tx, a, { device, author }) => writeCashUpLocally(tx, a, device, author) },
  'ledger.void': { rows: (a) => [{ table: 'voids', id: a.id }], write: (tx, a, { device }) => writeVoidLocally(tx, a, device.device_id) },
  'logins.record': { rows: () => [], write: async () => undefined },
  'students.save': records('students'),
  'guardians.save': records('guardians'),
  'studentGuardians.save': records('student_guardians'),
  'classes.save': records('classes'),
  'subjects.save': records('subjects'),
  'classSubjects.save': records('class_subjects'),
  'studentSubjects.save': records('student_subjects'),
  'events.save': records('events'),
  'gradingScales.save': records('grading_scales'),
  'assessments.save': records('assessments'),
  'scores.save': records('scores'),
  'reportComments.save': records('report_comments'),
  'attendanceSessions.save': records('attendance_sessions'),
  'attendance.mark': records('attendance_records'),
  'messages.send': { rows: (a) => [{ table: 'messages', id: a.id }], write: (tx, a, { device, author }) => writeMessageLocally(tx, a, device.device_id, author) },
  'messages.read': {
    rows: () => [],
    write: (tx, a, { author }) => writeMessageReadLocally(tx, a, author),
  },
  'conflicts.resolve': { rows: (a) => [{ table: 'record_conflicts', id: a.conflictId }], write: (tx, a, { author }) => writeConflictResolutionLocally(tx, a, author) },
};

/** Every editable table's save replays the same way: its rows written again as they were sent. */
function records(table: EditableTable): Replay<MutationName> {
  return {
    rows: (a) => (a as { rows: { id: string }[] }).rows.map((r) => ({ table, id: r.id })),
    write: (tx, a) => writeRecordsLocally(tx, table, (a as MutationArgs<'students.save'>).rows),
  };
}

async function parked(db: Kysely<LocalDatabase> | Transaction<LocalDatabase>, id: number) {
  const item = await db.selectFrom('needs_attention').selectAll().where('id', '=', id).executeTakeFirst();
  if (!item) throw new AppError('not_found', 'That item is no longer in "needs attention"; it may have been resent or discarded already.');
  return item;
}

/** Queues a refused change again by `author`, after checking that the author may make it and
 * that it still holds up here: the outbox entry and the local effect in one transaction, which
 * also takes the item off the list (or leaves everything as it was). */
async function queueAgain(
  db: Kysely<LocalDatabase>,
  id: number,
  author: SessionUser,
  verb: 'resend' | 'correct',
  prepare: (item: Selectable<NeedsAttentionTable>, name: MutationName) => { args: MutationArgs<MutationName>; same?: SameMutation },
): Promise<void> {
  const device = await requireDevice(db);
  await db.transaction().execute(async (tx) => {
    const item = await parked(tx, id);
    const name = item.name as MutationName;
    if (!(name in mutationArgs)) throw new AppError('invalid_input', `This version of Schoolhouse cannot resend "${item.name}".`);
    const permission = MUTATION_PERMISSION[name];
    if (permission && !author.permissions.includes(permission)) {
      throw new AppError('forbidden', `${verb === 'resend' ? 'Resending' : 'Correcting'} it needs someone allowed to do this: ${PERMISSION_LABELS[permission]}. Ask them to sign in here and ${verb} it.`);
    }
    const { args, same } = prepare(item, name);
    const replay = replays[name] as unknown as Replay<MutationName>;
    await appendMutation(tx, name, args, replay.rows(args), author.id, same);
    await replay.write(tx, args, { device, author });
    await tx.deleteFrom('needs_attention').where('id', '=', id).execute();
  });
}

/** A refusal the server recorded is answered the same way for that mutation id forever, so the
 * change goes as a new mutation; one it did not record (it could not read the change's format)
 * goes as the very same mutation, so it can never apply twice. */
export function resendParked(db: Kysely<LocalDatabase>, id: number, author: SessionUser): Promise<void> {
  return queueAgain(db, id, author, 'resend', (item, name) => ({
    args: mutationArgs[name].parse(JSON.parse(item.args)) as MutationArgs<MutationName>,
    same: item.unrecorded_version === null ? undefined : { mutationId: item.mutation_id, schemaVersion: item.unrecorded_version, args: item.args },
  }));
}

/** Queues the refused change with `correction` applied (see attention-fixes.ts), always as a new
 * mutation: its arguments differ from the refused one's, whose id the server may have recorded. */
export function fixParked(db: Kysely<LocalDatabase>, id: number, correction: Record<string, unknown>, author: SessionUser): Promise<void> {
  return queueAgain(db, id, author, 'correct', (item, name) => ({ args: correctedArgs(name, JSON.parse(item.args) as Record<string, unknown>, correction) }));
}

export async function discardParked(db: Kysely<LocalDatabase>, id: number): Promise<void> {
  await parked(db, id);
  await db.deleteFrom('needs_attention').where('id', '=', id).execute();
}
