import type { Gender } from '../../../../shared/domain/students';

export const GENDER_LABEL: Record<Gender, string> = { female: 'Female', male: 'Male', other: 'Other' };

/** "1,204 students", or "48 of 1,204 students" when a filter or search narrows the list. */
export function countText(total: number | null, all: number | null): string {
  if (total === null) return '\u00a0';
  const noun = (n: number) => (n === 1 ? 'student' : 'students');
  if (all === null || all === total) return `${total.toLocaleString('en')} ${noun(total)}`;
  return `${total.toLocaleString('en')} of ${all.toLocaleString('en')} ${noun(all)}`;
}
