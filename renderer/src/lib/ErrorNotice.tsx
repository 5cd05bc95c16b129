import type { AppError } from '../../../shared/api/errors';

interface Props {
  error: AppError;
  /** The call asks the school server: when it cannot be reached, say so first. */
  online?: boolean;
  onRetry?: () => void;
  testId?: string;
}

export const NEEDS_CONNECTION = 'This needs a connection to the school server.';

/** An error in words: what happened, and what to do about it. */
export function ErrorNotice({ error, online, onRetry, testId }: Props) {
  const unavailable = online === true && error.code === 'unavailable';
  // Core's own message often says it already: do not repeat it.
  const title = unavailable && !error.message.startsWith(NEEDS_CONNECTION.slice(0, -1));
  const hint = unavailable && !error.message.startsWith('This needs');
  return (
    <div className="notice notice-error" role="alert" data-testid={testId}>
      {title && <p className="notice-title">{NEEDS_CONNECTION}</p>}
      <p>{error.message}</p>
      {hint && <p>Check this computer's network connection (the status bar shows it), then try again.</p>}
      {onRetry && (
        <button type="button" onClick={onRetry}>
          Try again
        </button>
      )}
    </div>
  );
}
