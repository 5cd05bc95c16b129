import { useId, useRef, useState, type KeyboardEvent } from 'react';
import { addNames, MAX_ATTACHMENTS } from './attachments';

interface Props {
  names: readonly string[];
  onChange(names: string[]): void;
  /** What core said about them. */
  problem: string | null;
}

/**
 * The receipts and invoices behind an expense, by file name (the papers stay in the office's
 * records): choose files to take their names, or type a name.
 */
export function AttachmentNames({ names, onChange, problem }: Props) {
  const [typed, setTyped] = useState('');
  const [note, setNote] = useState<string | null>(null);
  const fileRef = useRef<HTMLInputElement>(null);
  const ids = useId();

  const add = (raw: readonly string[]) => {
    const { names: next, dropped } = addNames(names, raw);
    setNote(dropped > 0 ? `At most ${MAX_ATTACHMENTS} attachments per expense: ${dropped} not added.` : null);
    onChange(next);
  };

  const addTyped = () => {
    if (!typed.trim()) return;
    add([typed]);
    setTyped('');
  };

  const onTypedKey = (e: KeyboardEvent<HTMLInputElement>) => {
    // Enter adds the name here rather than recording the expense half filled in.
    if (e.key === 'Enter') {
      e.preventDefault();
      addTyped();
    }
  };

  return (
    <fieldset className="attachments" aria-describedby={`${ids}-hint`}>
      <legend className="field-label">Attachments (optional)</legend>
      <div className="form-row">
        <label className="field">
          <span className="field-hint">Choose the scanned files…</span>
          <input
            ref={fileRef}
            type="file"
            multiple
            aria-label="Attach files"
            onChange={(e) => {
              add(Array.from(e.target.files ?? [], (f) => f.name));
              if (fileRef.current) fileRef.current.value = '';
            }}
          />
        </label>
        <label className="field">
          <span className="field-hint">…or type a file name</span>
          <span className="inline-add">
            <input aria-label="Attachment file name" autoComplete="off" maxLength={120} value={typed} placeholder="invoice-0423.pdf" onChange={(e) => setTyped(e.target.value)} onKeyDown={onTypedKey} />
            <button type="button" onClick={addTyped} disabled={!typed.trim()}>
              Add
            </button>
          </span>
        </label>
      </div>
      <p className="field-hint" id={`${ids}-hint`}>
        Only the names are kept, so anyone can find the papers in the office files.
      </p>
      {names.length > 0 && (
        <ul className="attachment-list" data-testid="attachment-names">
          {names.map((n) => (
            <li key={n}>
              <span>{n}</span>
              <button type="button" className="link-button" aria-label={`Remove ${n}`} onClick={() => onChange(names.filter((x) => x !== n))}>
                Remove
              </button>
            </li>
          ))}
        </ul>
      )}
      {(problem ?? note) && <p className="field-error">{problem ?? note}</p>}
    </fieldset>
  );
}
