/** Turns what a user types into an FTS5 query: every word is a prefix term, all must match.
 * Each term is quoted, so punctuation and FTS operators typed by the user are inert. */
export function toFtsPrefixQuery(search: string): string | null {
  const terms = search
    .normalize('NFKC')
    .split(/[^\p{L}\p{N}]+/u)
    .filter((t) => t.length > 0)
    .slice(0, 8);
  if (terms.length === 0) return null;
  return terms.map((t) => `"${t}"*`).join(' ');
}
