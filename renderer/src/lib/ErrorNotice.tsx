import type { AppError } from '../../../shared/api/errors';

interface Props {
  error: AppError;
  /** The call asks the school server: when it cannot be reached, say so first. */
  online?: boolean;
  onRetry?: () => void;
  testId?: string;
}

/** An error in words: what happened, and what to do about it. */
export function ErrorNotice({ error, online, onRetry, testId }: Props) {
  return (
    <div className="notice notice-error" role="alert" data-testid={testId}>
      {online && error.code === 'unavailable' && (
        <p className="notice-title">This needs a connection to the school server.</p>
      )}
      <p>{error.message}</p>
      {online && error.code === 'unavailable' && (
        <p className="muted-inline">Check this computer's network connection (the status bar shows it), then try again.</p>
      )}
      {onRetry && (
        <button type="button" onClick={onRetry}>
          Try again
        </button>
      )}
    </div>
  );
}
