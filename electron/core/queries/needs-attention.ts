import type { Kysely } from 'kysely';
import type { LocalDatabase } from '../store/database.js';
import type { AttentionItem } from '../../../shared/api/contract.js';
import { formatMinor } from '../../../shared/money.js';

type Args = Record<string, unknown>;

/** The names a summary mentions, looked up once for the whole list (no query per item). */
interface Names {
  students: Map<string, string>;
  roles: Map<string, string>;
  staff: Map<string, string>;
}

async function lookUpNames(db: Kysely<LocalDatabase>, items: { name: string; args: Args }[]): Promise<Names> {
  const ids = (mutation: string, key: string) => [...new Set(items.filter((i) => i.name === mutation).map((i) => String(i.args[key])))];
  const studentIds = ids('payments.record', 'studentId');
  const roleIds = ids('roles.update', 'roleId');
  const staffIds = ids('staff.update', 'staffId');
  const [students, roles, staff] = await Promise.all([
    studentIds.length ? db.selectFrom('students').select(['id', 'first_name', 'last_name', 'admission_no']).where('id', 'in', studentIds).execute() : [],
    roleIds.length ? db.selectFrom('roles').select(['id', 'name']).where('id', 'in', roleIds).execute() : [],
    staffIds.length ? db.selectFrom('staff').select(['id', 'display_name']).where('id', 'in', staffIds).execute() : [],
  ]);
  return {
    students: new Map(students.map((s) => [s.id, `${s.first_name} ${s.last_name} (${s.admission_no})`])),
    roles: new Map(roles.map((r) => [r.id, r.name])),
    staff: new Map(staff.map((s) => [s.id, s.display_name])),
  };
}

function describe(name: string, args: Args, names: Names): string {
  switch (name) {
    case 'payments.record': {
      const who = names.students.get(String(args.studentId)) ?? 'a student not on this device';
      return `Payment of ${formatMinor(Number(args.amountMinor), String(args.currency))} for ${who}, receipt ${String(args.receiptNo)}, recorded by ${String(args.recordedBy ?? 'unknown')}`;
    }
    case 'roles.update':
      return `Permissions of the role ${names.roles.get(String(args.roleId)) ?? 'no longer on this device'}`;
    case 'staff.update':
      return `Change to the staff account of ${names.staff.get(String(args.staffId)) ?? 'someone no longer on this device'}`;
    case 'charges.post':
      return `Charge of ${formatMinor(Number(args.amountMinor), String(args.currency))} (${String(args.description || 'fee')}), due ${String(args.dueOn)}`;
    case 'ledger.void':
      return `Void of a ${args.targetTable === 'payments' ? 'payment' : 'charge'}: ${String(args.reason)}`;
    case 'fees.createCategory':
      return `New fee category "${String(args.name)}"`;
    default:
      return name;
  }
}

export async function listParked(db: Kysely<LocalDatabase>): Promise<AttentionItem[]> {
  const rows = await db.selectFrom('needs_attention').selectAll().orderBy('id').limit(500).execute();
  const items = rows.map((r) => ({ ...r, args: JSON.parse(r.args) as Args }));
  const names = await lookUpNames(db, items);
  return items.map((r) => ({ id: r.id, name: r.name, summary: describe(r.name, r.args, names), reason: r.reason, createdAt: r.created_at }));
}
