import type { ReactNode } from 'react';

interface Props {
  /** What the submit button says, and what it says while saving ("Voiding…"). */
  label: string;
  savingLabel: string;
  saving: boolean;
  /** 'danger' for what takes something away (a void, a rejection). */
  tone?: 'primary' | 'danger';
  testId: string;
  /** Submitting is refused until the form is fixed (its problem is shown beside the field). */
  blocked?: boolean;
  onCancel(): void;
  /** Other buttons of the dialog (a Delete), between the submit and Cancel. */
  children?: ReactNode;
}

/** A dialog form's buttons: submit, then Cancel; neither can be pressed again while it saves. */
export function DialogActions({ label, savingLabel, saving, tone = 'primary', testId, blocked = false, onCancel, children }: Props) {
  return (
    <div className="form-actions">
      <button type="submit" className={tone} disabled={saving || blocked} data-testid={testId}>
        {saving ? savingLabel : label}
      </button>
      {children}
      <button type="button" onClick={onCancel} disabled={saving}>
        Cancel
      </button>
    </div>
  );
}
