// The three ways a students search reads its page (matches first, name order checked against
// the gathered matches, name order probing the FTS index row by row) return the same rows in
// the same order, on every page; planSearch picks probing only when nearly every row matches.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTestDevice, type TestDevice } from '../support/local-device.js';
import { countStudents, listStudents, matchingStudentIds, planSearch, studentsPageQuery, type SearchPlan } from '../../electron/core/queries/students.js';
import { toFtsPrefixQuery } from '../../electron/core/queries/fts-query.js';
import type { StudentCursor, StudentFilter, StudentListItem } from '../../shared/domain/students.js';

let device: TestDevice;

beforeAll(async () => {
  device = await openTestDevice({ students: 2600 });
});
afterAll(() => device.dispose());

async function allPages(filter: StudentFilter, plan: SearchPlan): Promise<string[]> {
  const ids: string[] = [];
  let after: StudentCursor | null = null;
  for (;;) {
    const rows: StudentListItem[] = (await studentsPageQuery(device.core.store.db, filter, plan, after, 50).execute()) as StudentListItem[];
    const page: StudentListItem[] = rows.slice(0, 50);
    ids.push(...page.map((r) => r.id));
    if (rows.length <= 50) return ids;
    const last: StudentListItem = page[page.length - 1]!;
    after = { lastName: last.lastName, firstName: last.firstName, id: last.id };
  }
}

describe('students search modes', () => {
  it('give the same rows in the same order for narrow and broad searches, with filters', async () => {
    const first = device.students[7]!;
    const searches = ['a', 'm', first.last_name.slice(0, 2), `${first.first_name} ${first.last_name}`, first.admission_no.slice(0, 3)];
    let compared = 0;
    for (const search of searches) {
      const fts = toFtsPrefixQuery(search)!;
      for (const filter of [{ search }, { search, status: 'enrolled' as const }, { search, className: first.class_name! }]) {
        const [a, b, c] = await Promise.all(
          (['matches-first', 'name-order', 'probe'] as const).map((mode) => allPages(filter, { fts, mode })),
        );
        expect(b, `${JSON.stringify(filter)} name-order`).toEqual(a);
        expect(c, `${JSON.stringify(filter)} probe`).toEqual(a);
        compared += a!.length;
      }
    }
    expect(compared).toBeGreaterThan(2600);
  });

  it('probes only when nearly every student matches', async () => {
    const { db } = device.core.store;
    const admissionPrefix = device.students[0]!.admission_no.replace(/[^A-Za-z].*$/, '').slice(0, 1);
    // Every admission number starts with the same letters: every student matches.
    expect(await planSearch(db, admissionPrefix)).toMatchObject({ mode: 'probe' });
    const narrow = device.students[3]!;
    expect(await planSearch(db, `${narrow.first_name} ${narrow.last_name}`)).toMatchObject({ mode: 'matches-first' });
  });
});

describe('reading every match of a broad search', () => {
  it('counts and lists all matches the same as paging through them', async () => {
    const { db } = device.core.store;
    const search = device.students[0]!.admission_no.slice(0, 1);
    expect(await planSearch(db, search)).toMatchObject({ mode: 'probe' });
    const fts = toFtsPrefixQuery(search)!;
    const paged = await allPages({ search }, { fts, mode: 'probe' });
    expect(await countStudents(db, { search })).toBe(paged.length);
    expect(await matchingStudentIds(db, { search }, 5000)).toEqual(paged);
  });
});

describe('the compiled page statement kept per shape', () => {
  it('gives the page the builder gives, for every shape and each call its own values', async () => {
    const { db } = device.core.store;
    const s = device.students[11]!;
    const filters: StudentFilter[] = [{}, { status: 'enrolled' }, { className: s.class_name! }, { search: s.last_name }, { search: 'k', status: 'enrolled' }, { search: s.first_name.slice(0, 2), className: s.class_name! }];
    let checked = 0;
    for (const filter of filters) {
      // Twice per shape, with two cursors: the second call reuses the first's compiled statement.
      for (const after of [null, { lastName: s.last_name, firstName: s.first_name, id: s.id }, { lastName: 'M', firstName: 'A', id: '0' }]) {
        for (const limit of [7, 50]) {
          const viaList = await listStudents(db, filter, after, limit);
          const built = (await studentsPageQuery(db, filter, await planSearch(db, filter.search), after, limit).execute()) as StudentListItem[];
          expect(viaList.rows, JSON.stringify({ filter, after, limit })).toEqual(built.slice(0, limit));
          checked += viaList.rows.length;
        }
      }
    }
    expect(checked).toBeGreaterThan(100);
  });
});
