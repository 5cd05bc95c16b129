interface Props {
  /** What the submit button says, and what it says while saving ("Voiding…"). */
  label: string;
  savingLabel: string;
  saving: boolean;
  /** 'danger' for what takes something away (a void, a rejection). */
  tone?: 'primary' | 'danger';
  testId: string;
  onCancel(): void;
}

/** A dialog form's buttons: submit, then Cancel; neither can be pressed again while it saves. */
export function DialogActions({ label, savingLabel, saving, tone = 'primary', testId, onCancel }: Props) {
  return (
    <div className="form-actions">
      <button type="submit" className={tone} disabled={saving} data-testid={testId}>
        {saving ? savingLabel : label}
      </button>
      <button type="button" onClick={onCancel} disabled={saving}>
        Cancel
      </button>
    </div>
  );
}
