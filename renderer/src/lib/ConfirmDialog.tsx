import type { ReactNode } from 'react';
import { Dialog } from './Dialog';

interface Props {
  title: string;
  testId: string;
  /** What the red button says; while busy, what is happening ("Revoking…"). */
  confirmLabel: string;
  onConfirm(): void;
  onClose(): void;
  cancelLabel?: string;
  busy?: boolean;
  confirmTestId?: string;
  cancelTestId?: string;
  /** What will happen, in words, above the buttons. */
  children: ReactNode;
}

/** A second look before something hard to undo. Cancel has the focus, so Enter never confirms by accident. */
export function ConfirmDialog({ title, testId, confirmLabel, onConfirm, onClose, cancelLabel = 'Cancel', busy, confirmTestId, cancelTestId, children }: Props) {
  return (
    <Dialog title={title} onClose={onClose} testId={testId}>
      {children}
      <div className="form-actions">
        <button type="button" className="danger" onClick={onConfirm} disabled={busy} data-testid={confirmTestId}>
          {confirmLabel}
        </button>
        <button type="button" onClick={onClose} autoFocus data-testid={cancelTestId}>
          {cancelLabel}
        </button>
      </div>
    </Dialog>
  );
}
