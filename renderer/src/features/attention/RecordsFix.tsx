import { useState, type FormEvent } from 'react';
import type { z } from 'zod';
import { DERIVED_ID_KEYS, EDITABLE, editableTableOf } from '../../../../shared/sync/editable';
import { DialogActions } from '../../lib/DialogActions';
import { ErrorNotice } from '../../lib/ErrorNotice';
import { FieldNote } from '../../lib/FieldNote';
import { ClassSelect } from './ClassSelect';
import { issueAt, type FixFormProps } from './fixForm';

interface RefusedRow {
  id: string;
  fields: Record<string, unknown>;
}

/** "first_name" → "First name". */
function label(field: string): string {
  const words = field.replace(/_id$/, '').replace(/_/g, ' ');
  return words.charAt(0).toUpperCase() + words.slice(1);
}

function asText(value: unknown): string {
  return value === null || value === undefined ? '' : String(value);
}

/** What a box's text is as a value of its field: the first reading the field accepts (empty is
 * "none" where the field may be empty, digits a number where it takes one), else the text as
 * typed, for core to say what is wrong with it. */
function valueOf(schema: z.ZodType | undefined, text: string, was: unknown): unknown {
  if (typeof was === 'boolean') return text === 'true';
  const readings: unknown[] = text.trim() === '' ? [null, text] : [text, Number(text)];
  if (typeof was === 'number') readings.reverse();
  return readings.find((r) => schema?.safeParse(r).success) ?? (typeof was === 'number' && text.trim() !== '' ? Number(text) : text);
}

/** The values a refused save of records sent, each in a box to correct; which records and which fields stay. */
export function RecordsFix({ item, error, saving, onSave, onCancel }: FixFormProps) {
  const table = editableTableOf(item.name)!;
  const shape = (EDITABLE[table].fields as z.ZodObject).shape as Record<string, z.ZodType>;
  const fixedKeys = new Set(['deleted', ...(DERIVED_ID_KEYS[table] ?? [])]);
  // Another record is named by its id: a class is chosen by name here; the others (a teacher, a
  // guardian, …) are chosen on the record's own screen, so they stay as they were.
  const stays = (field: string) => fixedKeys.has(field) || (field.endsWith('_id') && field !== 'class_id');
  const rows = (item.args.rows ?? []) as RefusedRow[];
  const [texts, setTexts] = useState(() => rows.map((r) => Object.fromEntries(Object.entries(r.fields).map(([k, v]) => [k, asText(v)]))));

  function submit(e: FormEvent) {
    e.preventDefault();
    onSave({
      rows: rows.map((r, i) => ({
        id: r.id,
        fields: Object.fromEntries(Object.keys(r.fields).filter((k) => !stays(k)).map((k) => [k, valueOf(shape[k], texts[i]![k]!, r.fields[k])])),
      })),
    });
  }

  const firstBox = Object.keys(rows[0]?.fields ?? {}).find((k) => !stays(k));
  return (
    <form className="dialog-form fix-form" onSubmit={submit} noValidate aria-label="Correct the save">
      {rows.map((r, i) => (
        <fieldset key={r.id} className="fix-record">
          {rows.length > 1 && <legend>Record {i + 1}</legend>}
          {Object.entries(r.fields).map(([field, was]) => {
            const path = `rows.${i}.fields.${field}`;
            const problem = issueAt(error, path);
            if (stays(field)) {
              return (
                <p key={field} className="muted">
                  {label(field)}: {field === 'deleted' ? (was ? 'removed' : 'brought back') : field.endsWith('_id') ? 'as chosen' : asText(was)} (stays as it was)
                </p>
              );
            }
            const autoFocus = i === 0 && field === firstBox;
            const set = (text: string) => setTexts((t) => t.map((row, n) => (n === i ? { ...row, [field]: text } : row)));
            return (
              <label key={field} className="field">
                <span className="field-label">{label(field)}</span>
                {field === 'class_id' ? (
                  <ClassSelect label={label(field)} value={texts[i]![field]!} onChange={set} invalid={problem !== null} autoFocus={autoFocus} />
                ) : typeof was === 'boolean' ? (
                  <input type="checkbox" aria-label={label(field)} checked={texts[i]![field] === 'true'} onChange={(e) => set(String(e.target.checked))} autoFocus={autoFocus} />
                ) : (
                  <input aria-label={label(field)} value={texts[i]![field]} autoComplete="off" aria-invalid={problem ? true : undefined} onChange={(e) => set(e.target.value)} autoFocus={autoFocus} />
                )}
                <FieldNote problem={problem} />
              </label>
            );
          })}
        </fieldset>
      ))}
      {error && <ErrorNotice error={error} testId="fix-error" />}
      <DialogActions label="Save and send again" savingLabel="Saving…" saving={saving} testId="fix-save" onCancel={onCancel} />
    </form>
  );
}
