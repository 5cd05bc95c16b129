import type { Kysely } from 'kysely';
import type { LocalDatabase } from '../store/database.js';
import type { AttentionItem } from '../../../shared/api/contract.js';
import { formatMinor } from '../../../shared/money.js';
import type { VoidableTable } from '../../../shared/domain/fees.js';
import { ENTRY_NOUN } from '../commands/ledger.js';
import { discountLabel } from './ledger-labels.js';
import { studentSaveSummaries } from './student-summaries.js';
import { isFixable, MAX_FIX_RECORDS } from '../commands/attention-fixes.js';
import type { MutationName } from '../../../shared/sync/mutations.js';

type Args = Record<string, unknown>;

/** The names a summary mentions, looked up once for the whole list (no query per item). */
interface Names {
  students: Map<string, string>;
  roles: Map<string, string>;
  staff: Map<string, string>;
  categories: Map<string, string>;
  expenses: Map<string, string>;
}

/** Mutations whose arguments name a student. */
const ABOUT_A_STUDENT = ['payments.record', 'charges.post', 'discounts.grant', 'refunds.record'];

async function lookUpNames(db: Kysely<LocalDatabase>, items: { name: string; args: Args }[]): Promise<Names> {
  const ids = (mutations: string[], key: string) => [...new Set(items.filter((i) => mutations.includes(i.name)).map((i) => String(i.args[key])))];
  const studentIds = ids(ABOUT_A_STUDENT, 'studentId');
  const roleIds = ids(['roles.update'], 'roleId');
  const staffIds = ids(['staff.update'], 'staffId');
  const categoryIds = ids(['charges.post', 'discounts.grant'], 'categoryId');
  const expenseIds = ids(['expenses.decide'], 'expenseId');
  const [students, roles, staff, categories, expenses] = await Promise.all([
    studentIds.length ? db.selectFrom('students').select(['id', 'first_name', 'last_name', 'admission_no']).where('id', 'in', studentIds).execute() : [],
    roleIds.length ? db.selectFrom('roles').select(['id', 'name']).where('id', 'in', roleIds).execute() : [],
    staffIds.length ? db.selectFrom('staff').select(['id', 'display_name']).where('id', 'in', staffIds).execute() : [],
    categoryIds.length ? db.selectFrom('fee_categories').select(['id', 'name']).where('id', 'in', categoryIds).execute() : [],
    expenseIds.length ? db.selectFrom('expenses').select(['id', 'payee', 'amount_minor', 'currency']).where('id', 'in', expenseIds).execute() : [],
  ]);
  return {
    students: new Map(students.map((s) => [s.id, `${s.first_name} ${s.last_name} (${s.admission_no})`])),
    roles: new Map(roles.map((r) => [r.id, r.name])),
    staff: new Map(staff.map((s) => [s.id, s.display_name])),
    categories: new Map(categories.map((c) => [c.id, c.name])),
    expenses: new Map(expenses.map((e) => [e.id, `the expense of ${formatMinor(e.amount_minor, e.currency)} paid to ${e.payee}`])),
  };
}

/** Where to make a change again that cannot be corrected in the list. */
const INSTEAD: Partial<Record<MutationName, string>> = {
  'roles.update': 'Set the role’s permissions again on the Roles screen, then discard this one.',
  'staff.update': 'Make the change to the account again on the Staff screen, then discard this one.',
  'fees.createCategory': 'Add the fee category again on the Fees screen, then discard this one.',
  'charges.post': 'Post the charge again from the student’s account on the Bursary screen, then discard this one.',
  'fees.saveStructure': 'Correct the fee structure on the Fees screen, then discard this one.',
  'discounts.grant': 'Grant the discount again from the student’s account on the Bursary screen, then discard this one.',
  'refunds.record': 'Record the refund again from the student’s account on the Bursary screen, then discard this one.',
  'expenses.decide': 'Approve or reject the expense again among the expenses on the Bursary screen, then discard this one.',
  'cashup.close': 'Close the day again with the cash-up on the Bursary screen, then discard this one.',
  'ledger.void': 'Void the entry again from the Bursary screen, then discard this one.',
  'logins.record': 'A sign-in record has nothing to correct: resend it or discard it.',
  'messages.send': 'Write the message again on the Messages screen, then discard this one.',
  'messages.read': 'A read receipt has nothing to correct: resend it or discard it.',
  'conflicts.resolve': 'Settle the conflict again on the Conflicts screen, then discard this one.',
};

function insteadOfBigSave(args: Args): string | null {
  const rows = Array.isArray(args.rows) ? args.rows.length : 0;
  return rows > MAX_FIX_RECORDS ? `It saved ${rows} records at once (an import or a change to many): correct them on their screen, or correct the file and import it again, then discard this one.` : null;
}

function describe(name: string, args: Args, names: Names, currency: string): string {
  const money = (key = 'amountMinor') => formatMinor(Number(args[key]), String(args.currency));
  const student = () => names.students.get(String(args.studentId)) ?? 'a student not on this device';
  switch (name) {
    case 'payments.record':
      return `Payment of ${money()} for ${student()}, receipt ${String(args.receiptNo)}, recorded by ${String(args.recordedBy ?? 'unknown')}`;
    case 'roles.update':
      return `Permissions of the role ${names.roles.get(String(args.roleId)) ?? 'no longer on this device'}`;
    case 'staff.update':
      return `Change to the staff account of ${names.staff.get(String(args.staffId)) ?? 'someone no longer on this device'}`;
    case 'charges.post': {
      const fee = names.categories.get(String(args.categoryId)) ?? 'Fee';
      return `Charge of ${money()} to ${student()} (${fee}${args.description ? `: ${String(args.description)}` : ''}), due ${String(args.dueOn)}`;
    }
    case 'ledger.void': {
      const noun = ENTRY_NOUN[args.targetTable as VoidableTable] ?? 'ledger entry';
      return `Void of ${/^[aeiou]/.test(noun) ? 'an' : 'a'} ${noun}: ${String(args.reason)}`;
    }
    case 'fees.createCategory':
      return `New fee category "${String(args.name)}"`;
    case 'fees.saveStructure': {
      const items = args.items as { amountMinor: number }[];
      return `Fee structure for ${String(args.className)}, ${String(args.term)} (${items.length} ${items.length === 1 ? 'fee' : 'fees'})${args.active ? '' : ', inactive'}`;
    }
    case 'discounts.grant': {
      const label = discountLabel({
        kind: String(args.kind),
        percentBp: args.percentBp === null ? null : Number(args.percentBp),
        category: args.categoryId === null ? null : (names.categories.get(String(args.categoryId)) ?? 'a fee not on this device'),
        term: args.term === null ? null : String(args.term),
        reason: String(args.reason),
      });
      return `${label}, ${formatMinor(Number(args.amountMinor), currency)} for ${student()}`;
    }
    case 'refunds.record':
      return `Refund of ${money()} to ${student()}: ${String(args.reason)}`;
    case 'expenses.record':
      return `Expense of ${money()} paid to ${String(args.payee)} (${String(args.category)}), recorded by ${String(args.recordedBy ?? 'unknown')}`;
    case 'expenses.decide':
      return `${args.decision === 'approved' ? 'Approval' : 'Rejection'} of ${names.expenses.get(String(args.expenseId)) ?? 'an expense no longer on this device'}`;
    case 'cashup.close':
      return `Cash-up of ${String(args.businessDate)} by ${String(args.staffName)}`;
    case 'messages.send':
      return `Message "${String(args.subject)}" to ${String(args.toLabel)}`;
    case 'messages.read':
      return 'Read receipt of a message';
    case 'conflicts.resolve':
      return `${args.resolution === 'restored' ? 'Restoring the replaced value of' : 'Keeping the value of'} a record changed on two computers`;
    default:
      return name;
  }
}

export async function listParked(db: Kysely<LocalDatabase>): Promise<AttentionItem[]> {
  const rows = await db.selectFrom('needs_attention').selectAll().orderBy('id').limit(500).execute();
  const items = rows.map((r) => ({ ...r, args: JSON.parse(r.args) as Args }));
  const [names, device, studentSaves] = await Promise.all([lookUpNames(db, items), db.selectFrom('device').select('currency').executeTakeFirstOrThrow(), studentSaveSummaries(db, items)]);
  return items.map((r) => {
    const fixable = isFixable(r.name, r.args);
    return {
      id: r.id,
      name: r.name,
      summary: studentSaves.get(r.id) ?? describe(r.name, r.args, names, device.currency),
      reason: r.reason,
      createdAt: r.created_at,
      args: r.args,
      fixable,
      instead: fixable ? null : (INSTEAD[r.name as MutationName] ?? insteadOfBigSave(r.args) ?? 'Make the change again on its screen, then discard this one.'),
    };
  });
}
