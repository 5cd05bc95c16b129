import type { Kysely } from 'kysely';
import type { LocalDatabase } from '../store/database.js';
import { currentTerm, type TermRow } from '../../../shared/domain/terms.js';

/** The school's terms in order, and the one holding the school's `today`. */
export async function listTerms(db: Kysely<LocalDatabase>, today: string): Promise<{ terms: TermRow[]; currentTermId: string | null }> {
  const terms = await db.selectFrom('terms').selectAll().orderBy('starts_on').orderBy('id').execute();
  return { terms, currentTermId: currentTerm(terms, today)?.id ?? null };
}
