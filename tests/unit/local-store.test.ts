import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTestDevice, type TestDevice } from '../support/local-device.js';
import { planSearch, SEARCH_SORT_LIMIT, studentsPageQuery } from '../../electron/core/queries/students.js';
import { openLocalStore } from '../../electron/core/store/open-store.js';
import { join } from 'node:path';
import type { StudentFilter, StudentListItem } from '../../shared/domain/students.js';
import { toFtsPrefixQuery } from '../../electron/core/queries/fts-query.js';

let device: TestDevice;
const N = 3000;

beforeAll(async () => {
  device = await openTestDevice({ students: N });
  device.core.store.sqlite.exec('analyze');
});
afterAll(() => device.dispose());

async function list(input: Record<string, unknown>) {
  const reply = await device.core.dispatch('students.list', input);
  if (!reply.ok) throw new Error(reply.error.message);
  return reply.value as { rows: StudentListItem[]; next: { lastName: string; firstName: string; id: string } | null };
}

function byName(a: StudentListItem, b: StudentListItem): number {
  const k = (s: StudentListItem) => [s.lastName.toLowerCase(), s.firstName.toLowerCase(), s.id];
  const [x, y] = [k(a), k(b)];
  for (let i = 0; i < 3; i++) if (x[i]! !== y[i]!) return x[i]! < y[i]! ? -1 : 1;
  return 0;
}

describe('local store', () => {
  it('opens with WAL, synchronous=FULL and foreign keys on', () => {
    const { sqlite } = device.core.store;
    expect(sqlite.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(sqlite.pragma('synchronous', { simple: true })).toBe(2);
    expect(sqlite.pragma('foreign_keys', { simple: true })).toBe(1);
  });

  it('re-opening an existing file runs no migration twice and keeps the data', async () => {
    const again = await openLocalStore(join(device.dir, 'schoolhouse.sqlite'));
    const { n } = await again.db.selectFrom('students').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
    expect(Number(n)).toBe(N);
    await again.close();
  });
});

describe('students.list', () => {
  it('pages through every student exactly once, in name order', async () => {
    const seen: StudentListItem[] = [];
    let after = null;
    for (let pages = 0; pages < 100; pages++) {
      const page = await list({ after, limit: 250 });
      seen.push(...page.rows);
      if (!page.next) break;
      after = page.next;
    }
    expect(seen).toHaveLength(N);
    expect(new Set(seen.map((s) => s.id)).size).toBe(N);
    expect([...seen].sort(byName)).toEqual(seen);
  });

  it('filters by status and class, still keyset-paged', async () => {
    const withdrawn = device.students.filter((s) => s.status === 'withdrawn').length;
    const first = await list({ status: 'withdrawn', limit: 10 });
    expect(first.rows.every((r) => r.status === 'withdrawn')).toBe(true);
    const count = await device.core.dispatch('students.count', { status: 'withdrawn' });
    expect(count).toEqual({ ok: true, value: { count: withdrawn } });
    const grade3 = await list({ className: 'Grade 3', limit: 500 });
    expect(grade3.rows.length).toBe(device.students.filter((s) => s.class_name === 'Grade 3').length);
  });

  it('searches names, admission numbers and guardian phones by prefix', async () => {
    const target = device.students[1234]!;
    const byAdmission = await list({ search: target.admission_no, limit: 5 });
    expect(byAdmission.rows.map((r) => r.id)).toEqual([target.id]);

    const phoneDigits = target.guardian_phone!.replace(/\D/g, '');
    const byPhone = await list({ search: `0${phoneDigits.slice(-9)}`.slice(1), limit: 5 });
    expect(byPhone.rows.map((r) => r.id)).toContain(target.id);

    const byName = await list({ search: `${target.first_name.slice(0, 3)} ${target.last_name.slice(0, 2)}`, limit: 500 });
    expect(byName.rows.map((r) => r.id)).toContain(target.id);
    expect(byName.rows.every((r) => r.firstName.startsWith(target.first_name.slice(0, 3)))).toBe(true);
  });

  it('pages a broad search in name order (the index-walk plan)', async () => {
    const all: StudentListItem[] = [];
    let after = null;
    do {
      const page = await list({ search: 'khs', after, limit: 400 });
      all.push(...page.rows);
      after = page.next;
    } while (after);
    expect(all.length).toBeGreaterThan(SEARCH_SORT_LIMIT);
    expect([...all].sort(byName)).toEqual(all);
  });

  it('treats FTS syntax typed by a user as plain text', async () => {
    expect(toFtsPrefixQuery('NEAR( "x" OR *')).toBe('"NEAR"* "x"* "OR"*');
    expect(toFtsPrefixQuery('  ,, ')).toBeNull();
    const page = await list({ search: 'Kamau" OR "1', limit: 5 });
    expect(page.rows.length).toBeGreaterThanOrEqual(0);
  });

  it('rejects bad input with a clear message', async () => {
    const reply = await device.core.dispatch('students.list', { limit: 0 });
    expect(reply.ok).toBe(false);
    expect(!reply.ok && reply.error.message).toMatch(/limit/);
    const bad = await device.core.dispatch('students.list', { after: { lastName: 1 } });
    expect(!bad.ok && bad.error.code).toBe('invalid_input');
  });
});

describe('students list query plans', () => {
  const cursor = { lastName: 'Gitau', firstName: 'Esther', id: '0' };

  async function plan(filter: StudentFilter, after: typeof cursor | null): Promise<string[]> {
    const { db, sqlite } = device.core.store;
    const compiled = studentsPageQuery(db, filter, await planSearch(db, filter.search), after, 50).compile();
    return (sqlite.prepare(`explain query plan ${compiled.sql}`).all(...compiled.parameters) as { detail: string }[]).map((r) => r.detail);
  }

  const indexed: [string, StudentFilter][] = [
    ['all students', {}],
    ['by status', { status: 'enrolled' }],
    ['by class', { className: 'Grade 2' }],
    ['broad search', { search: 'khs' }],
  ];

  for (const [name, filter] of indexed) {
    for (const after of [null, cursor]) {
      it(`${name}${after ? ', after a cursor' : ''}: an index serves filter and order`, async () => {
        const details = await plan(filter, after);
        expect(details.some((d) => /^(SCAN|SEARCH) students USING (COVERING )?INDEX students_by_/.test(d))).toBe(true);
        expect(details.filter((d) => /^SCAN students$/.test(d))).toEqual([]);
        expect(details.filter((d) => d.includes('TEMP B-TREE'))).toEqual([]);
      });
    }
  }

  it('a narrow search starts from the FTS index and sorts only its few matches', async () => {
    const { db } = device.core.store;
    const target = device.students[42]!;
    const search = `${target.first_name} ${target.last_name}`;
    expect(await planSearch(db, search)).toMatchObject({ mode: 'matches-first' });
    const details = await plan({ search }, null);
    expect(details[0]).toMatch(/^SCAN students_fts VIRTUAL TABLE/);
    expect(details).toContain('SEARCH students USING INTEGER PRIMARY KEY (rowid=?)');
    expect(details.filter((d) => /^SCAN students$/.test(d))).toEqual([]);
  });
});
