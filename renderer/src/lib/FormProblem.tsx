import type { AppError } from '../../../shared/api/errors';
import { ErrorNotice } from './ErrorNotice';

interface Props {
  /** What the form's own checks found before anything was sent. */
  problem: string | null;
  /** What the server answered when it was sent. */
  error: AppError | null;
  online?: boolean;
  /** Both kinds carry it: to the person they are one answer, "why did that not work". */
  testId: string;
}

/** Under a form: why it was not saved, whether the form said so first or the server did. */
export function FormProblem({ problem, error, online, testId }: Props) {
  return (
    <>
      {problem && (
        <p className="field-error" role="alert" data-testid={testId}>
          {problem}
        </p>
      )}
      {error && <ErrorNotice error={error} online={online} testId={testId} />}
    </>
  );
}
