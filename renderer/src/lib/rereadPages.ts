/**
 * Reads the first `count` pages of a keyset list again, from the top, following each page's
 * cursor: the list as it is now, as long as the one the user had paged through. One indexed page
 * query per page, no OFFSET. `done`: the list ended within those pages.
 */
export async function rereadPages<Row, Cursor>(
  fetchPage: (cursor: Cursor | null) => Promise<{ rows: Row[]; next: Cursor | null }>,
  count: number,
): Promise<{ rows: Row[]; next: Cursor | null; pages: number; done: boolean }> {
  const rows: Row[] = [];
  let next: Cursor | null = null;
  let pages = 0;
  do {
    const page = await fetchPage(next);
    pages++;
    rows.push(...page.rows);
    next = page.next;
    if (page.rows.length === 0) return { rows, next, pages, done: true };
  } while (next !== null && pages < Math.max(1, count));
  return { rows, next, pages, done: next === null };
}
