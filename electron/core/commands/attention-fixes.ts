import { isDeepStrictEqual } from 'node:util';
import type { z } from 'zod';
import { AppError, type ErrorIssue } from '../../../shared/api/errors.js';
import { api } from '../../../shared/api/contract.js';
import { RecordPaymentInput } from '../../../shared/domain/payments.js';
import { mutationArgs, type MutationArgs, type MutationName } from '../../../shared/sync/mutations.js';
import { DERIVED_ID_KEYS, editableTableOf, type EditableTable } from '../../../shared/sync/editable.js';

// Which refused changes can be corrected in "needs attention", and how a correction is checked:
// the person may change what was wrong in the content, never what identifies the change (a
// payment's id and receipt number, so the printed receipt stays valid; a record's row ids; who
// made it and when).

type Args = Record<string, unknown>;

interface Identity {
  label: string;
  /** Why it stays, when more than "it identifies the change" is worth saying. */
  why?: string;
}

/** A change made from one form: the fields of that form may be corrected, the rest stays. */
interface FormFix {
  noun: string;
  /** What each argument the person may correct is called on screen. */
  editable: Record<string, string>;
  fixed: Record<string, Identity>;
  /** The rules of the form the change was first made with (issue paths: the argument names). */
  form: z.ZodType;
  formInput(args: Args): unknown;
}

const RECORDED = { recordedAt: { label: 'time it was recorded' }, recordedBy: { label: 'person who recorded it' }, currency: { label: 'currency' } };
const asOptional = (v: unknown) => (v === null ? undefined : v);

const FORM_FIXES: Partial<Record<MutationName, FormFix>> = {
  'payments.record': {
    noun: 'payment',
    editable: { studentId: 'student', amountMinor: 'amount', method: 'method', reference: 'reference', allocations: 'charges it pays' },
    fixed: {
      id: { label: 'payment id' },
      receiptNo: { label: 'receipt number', why: 'the receipt already given out stays valid for the corrected payment' },
      ...RECORDED,
    },
    form: RecordPaymentInput,
    formInput: (a) => ({ studentId: a.studentId, amountMinor: a.amountMinor, method: a.method, reference: asOptional(a.reference), allocations: a.allocations }),
  },
  'expenses.record': {
    noun: 'expense',
    editable: { category: 'category', payee: 'payee', description: 'description', amountMinor: 'amount', method: 'method', reference: 'reference', spentOn: 'date spent' },
    fixed: { id: { label: 'expense id' }, attachments: { label: 'attachments' }, ...RECORDED },
    form: api['expenses.record'].input,
    formInput: (a) => ({ ...a, reference: asOptional(a.reference) }),
  },
};

/** A save of more records (an import, a bulk change) is corrected where it was made: one form
 * of hundreds of records is no way to find the wrong value. */
export const MAX_FIX_RECORDS = 50;

/** Whether this refused change can be corrected where it waits. */
export function isFixable(name: string, args: Args): boolean {
  if (Object.hasOwn(FORM_FIXES, name)) return true;
  return editableTableOf(name) !== undefined && Array.isArray(args.rows) && args.rows.length <= MAX_FIX_RECORDS;
}

/**
 * The refused change's arguments with the correction applied, checked with the mutation's
 * schema and the rules of the form it was made with. Arguments left out of `correction` stay as
 * they were; an identifying one given with another value is refused, as is a bad value, each
 * naming its field. Business rules that need data are the caller's (the local write).
 */
export function correctedArgs(name: MutationName, refused: Args, correction: Args): MutationArgs<MutationName> {
  const form = Object.hasOwn(FORM_FIXES, name) ? FORM_FIXES[name] : undefined;
  if (form) return correctForm(name, form, refused, correction);
  const table = editableTableOf(name);
  if (table && isFixable(name, refused)) return correctRecords(name, table, refused, correction);
  throw new AppError('invalid_input', 'This kind of change cannot be corrected here; the list says where to make it again. Then discard this one.');
}

function correctForm(name: MutationName, fix: FormFix, refused: Args, correction: Args): MutationArgs<MutationName> {
  const unknown = Object.keys(correction).filter((k) => !Object.hasOwn(fix.editable, k) && !Object.hasOwn(fix.fixed, k));
  if (unknown.length > 0) {
    throw invalid(`${unknown.map((k) => `"${k}"`).join(', ')} ${unknown.length === 1 ? 'is' : 'are'} not part of a ${fix.noun}.`, unknown.map((k) => ({ path: k, message: `Not part of a ${fix.noun}.` })), fix.noun);
  }
  for (const [key, identity] of Object.entries(fix.fixed)) {
    if (Object.hasOwn(correction, key) && !isDeepStrictEqual(correction[key], refused[key])) throw identityChange(key, identity, fix.noun);
  }
  const label = (path: string) => fix.editable[path.split('.')[0]!] ?? fix.fixed[path.split('.')[0]!]?.label ?? path;
  const args = checked(mutationArgs[name], { ...refused, ...correction }, label, fix.noun);
  checked(fix.form, fix.formInput(args), label, fix.noun);
  return args;
}

interface RecordWrite {
  id: string;
  create: boolean;
  fields: Args;
  base: Record<string, number>;
}

/** A save's records: each corrects the values it sent; which records, which fields, their
 * versions and a removal stay as they were (another field is changed on the record's screen). */
function correctRecords(name: MutationName, table: EditableTable, refused: Args, correction: Args): MutationArgs<MutationName> {
  const noun = 'save';
  const before = (refused.rows ?? []) as RecordWrite[];
  const rows = correction.rows;
  const extra = Object.keys(correction).filter((k) => k !== 'rows');
  if (extra.length > 0 || !Array.isArray(rows) || rows.length !== before.length) {
    throw invalid(`A correction gives the same ${before.length} record${before.length === 1 ? '' : 's'} the refused save wrote, as "rows".`, [{ path: 'rows', message: 'The records of the refused save, in order.' }], noun);
  }
  const keys = DERIVED_ID_KEYS[table] ?? [];
  const corrected = before.map((was, i) => {
    const row = (rows[i] ?? {}) as Partial<RecordWrite>;
    const at = `rows.${i}`;
    if (row.id !== was.id) throw identityChange(`${at}.id`, { label: 'record it writes', why: 'a correction changes values, not which record' }, noun);
    if (row.create !== undefined && row.create !== was.create) throw identityChange(`${at}.create`, { label: 'whether it creates the record' }, noun);
    if (row.base !== undefined && !isDeepStrictEqual(row.base, was.base)) throw identityChange(`${at}.base`, { label: 'versions it was based on' }, noun);
    const fields = (row.fields ?? {}) as Args;
    for (const [field, value] of Object.entries(fields)) {
      if (!Object.hasOwn(was.fields, field)) {
        throw invalid(`The refused save did not change the ${words(field)}: a correction fixes the values it sent. Change the ${words(field)} on the record's screen once this one is sent.`, [{ path: `${at}.fields.${field}`, message: 'Not part of the refused save.' }], noun);
      }
      if ((field === 'deleted' || keys.includes(field)) && !isDeepStrictEqual(value, was.fields[field])) {
        throw identityChange(`${at}.fields.${field}`, { label: words(field), why: field === 'deleted' ? 'remove or bring back a record on its screen' : 'another value would make it a different record' }, noun);
      }
    }
    return { ...was, fields: { ...was.fields, ...fields } };
  });
  return checked(mutationArgs[name], { rows: corrected }, (path) => words(path.split('.')[3] ?? 'records'), noun);
}

function checked<S extends z.ZodType>(schema: S, input: unknown, label: (path: string) => string, noun: string): z.output<S> {
  const result = schema.safeParse(input);
  if (result.success) return result.data;
  const issues: ErrorIssue[] = result.error.issues.map((i) => ({ path: i.path.map(String).join('.'), message: i.message }));
  const said = issues.map((i) => `${label(i.path)}: ${i.message}`).join('; ');
  throw invalid(`Check the corrected ${said}`, issues, noun);
}

function invalid(message: string, issues: ErrorIssue[], noun: string): AppError {
  return new AppError('invalid_input', `${message} Nothing was sent; the ${noun} is still in "needs attention".`, issues);
}

function identityChange(path: string, identity: Identity, noun: string): AppError {
  const why = identity.why ? ` (${identity.why})` : '';
  return invalid(`A correction cannot change the ${identity.label} of the refused ${noun}${why}.`, [{ path, message: `Stays as it was: ${identity.label}.` }], noun);
}

/** "first_name" → "first name". */
function words(field: string): string {
  return field.replace(/_id$/, '').replace(/_/g, ' ');
}
