import type { AttentionItem } from '../../../../shared/api/contract';
import type { AppError } from '../../../../shared/api/errors';

/** What every correction form gets: the refused change, and core's answer to the last try. */
export interface FixFormProps {
  item: AttentionItem;
  /** Why core refused the correction (its issues name the fields, by argument path). */
  error: AppError | null;
  saving: boolean;
  /** Sends the corrected arguments (only those the form shows; the rest stay as refused). */
  onSave(args: Record<string, unknown>): void;
  onCancel(): void;
}

/** Core's findings about one argument (or anything under it, e.g. "allocations.0.amountMinor"). */
export function issueAt(error: AppError | null, path: string): string | null {
  const said = error?.issues?.filter((i) => i.path === path || i.path.startsWith(`${path}.`)).map((i) => i.message) ?? [];
  return said.length > 0 ? said.join(' ') : null;
}
