import type { Kysely } from 'kysely';
import type { LocalDatabase } from '../store/database.js';
import type { AttentionItem } from '../../../shared/api/contract.js';
import { formatMinor } from '../../../shared/money.js';

async function describe(db: Kysely<LocalDatabase>, name: string, args: Record<string, unknown>): Promise<string> {
  switch (name) {
    case 'payments.record': {
      const student = await db.selectFrom('students').select(['first_name', 'last_name', 'admission_no']).where('id', '=', String(args.studentId)).executeTakeFirst();
      const who = student ? `${student.first_name} ${student.last_name} (${student.admission_no})` : 'a student not on this device';
      return `Payment of ${formatMinor(Number(args.amountMinor), String(args.currency))} for ${who}, receipt ${String(args.receiptNo)}, recorded by ${String(args.recordedBy ?? 'unknown')}`;
    }
    case 'roles.update': {
      const role = await db.selectFrom('roles').select('name').where('id', '=', String(args.roleId)).executeTakeFirst();
      return `Permissions of the role ${role?.name ?? 'no longer on this device'}`;
    }
    case 'staff.update': {
      const person = await db.selectFrom('staff').select('display_name').where('id', '=', String(args.staffId)).executeTakeFirst();
      return `Change to the staff account of ${person?.display_name ?? 'someone no longer on this device'}`;
    }
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
  return Promise.all(
    rows.map(async (r) => ({ id: r.id, name: r.name, summary: await describe(db, r.name, JSON.parse(r.args) as Record<string, unknown>), reason: r.reason, createdAt: r.created_at })),
  );
}
