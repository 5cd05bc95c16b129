import { z } from 'zod';
import { IsoDate } from './fees.js';

/** A school term ("Term 3 2026", 2026-09-01 to 2026-11-27); fee structures and charges name it. */
export const TermRow = z.object({
  id: z.string().min(1).max(64),
  name: z.string().min(1).max(40),
  starts_on: IsoDate,
  ends_on: IsoDate,
});
export type TermRow = z.infer<typeof TermRow>;

/** The term holding `today`, else the latest that started before it, else the first. */
export function currentTerm<T extends { starts_on: string; ends_on: string }>(terms: readonly T[], today: string): T | undefined {
  const sorted = [...terms].sort((a, b) => (a.starts_on < b.starts_on ? -1 : 1));
  return sorted.find((t) => t.starts_on <= today && today <= t.ends_on) ?? sorted.filter((t) => t.starts_on <= today).at(-1) ?? sorted[0];
}
