// The scores grid's keyboard and paste behaviour, how it reads a typed mark and the result it
// works out per row, without a window.
import { describe, expect, it } from 'vitest';
import { nextCell, pastedCells, readScore, scoreText, type GridKey } from '../../renderer/src/features/reports/gridKeys.js';
import { rowResult, scaleFor } from '../../renderer/src/features/reports/rowResult.js';

const key = (k: string, patch: Partial<GridKey> = {}): GridKey => ({ key: k, shift: false, atStart: true, atEnd: true, ...patch });

describe('moving in the grid', () => {
  it('Enter goes down a column and Shift+Enter up, stopping at the edges', () => {
    expect(nextCell({ row: 0, col: 1 }, key('Enter'), 3, 2)).toEqual({ row: 1, col: 1 });
    expect(nextCell({ row: 2, col: 1 }, key('Enter'), 3, 2)).toBeNull();
    expect(nextCell({ row: 2, col: 0 }, key('Enter', { shift: true }), 3, 2)).toEqual({ row: 1, col: 0 });
    expect(nextCell({ row: 0, col: 0 }, key('Enter', { shift: true }), 3, 2)).toBeNull();
  });

  it('Tab goes across and on to the next row; past the last cell it leaves the grid', () => {
    expect(nextCell({ row: 0, col: 0 }, key('Tab'), 3, 2)).toEqual({ row: 0, col: 1 });
    expect(nextCell({ row: 0, col: 1 }, key('Tab'), 3, 2)).toEqual({ row: 1, col: 0 });
    expect(nextCell({ row: 1, col: 0 }, key('Tab', { shift: true }), 3, 2)).toEqual({ row: 0, col: 1 });
    expect(nextCell({ row: 2, col: 1 }, key('Tab'), 3, 2)).toBeNull();
    expect(nextCell({ row: 0, col: 0 }, key('Tab', { shift: true }), 3, 2)).toBeNull();
  });

  it('arrows move between cells; left and right only from the edge of the text', () => {
    expect(nextCell({ row: 1, col: 0 }, key('ArrowUp'), 3, 2)).toEqual({ row: 0, col: 0 });
    expect(nextCell({ row: 1, col: 0 }, key('ArrowDown'), 3, 2)).toEqual({ row: 2, col: 0 });
    expect(nextCell({ row: 1, col: 0 }, key('ArrowRight'), 3, 2)).toEqual({ row: 1, col: 1 });
    expect(nextCell({ row: 1, col: 0 }, key('ArrowRight', { atEnd: false }), 3, 2)).toBeNull();
    expect(nextCell({ row: 1, col: 1 }, key('ArrowLeft', { atStart: false }), 3, 2)).toBeNull();
    expect(nextCell({ row: 1, col: 1 }, key('ArrowLeft'), 3, 2)).toEqual({ row: 1, col: 0 });
    expect(nextCell({ row: 1, col: 1 }, key('ArrowRight'), 3, 2)).toBeNull();
  });

  it('leaves typing to the cell', () => {
    for (const k of ['1', '.', 'Backspace', 'Delete', 'a']) expect(nextCell({ row: 0, col: 0 }, key(k), 3, 2)).toBeNull();
  });
});

describe('pasting from a spreadsheet', () => {
  it('reads a column, a block and Windows line endings; a final newline adds no row', () => {
    expect(pastedCells('12\n15.5\n\n20\n')).toEqual([['12'], ['15.5'], [''], ['20']]);
    expect(pastedCells('12\t60\r\n14\t71\r\n')).toEqual([
      ['12', '60'],
      ['14', '71'],
    ]);
    expect(pastedCells('7')).toEqual([['7']]);
  });
});

describe('reading a typed mark', () => {
  it('accepts whole and half marks (a decimal comma too) and blank as not sat', () => {
    expect(readScore('24', 30)).toEqual({ ok: true, score: 24 });
    expect(readScore(' 17.5 ', 30)).toEqual({ ok: true, score: 17.5 });
    expect(readScore('17,5', 30)).toEqual({ ok: true, score: 17.5 });
    expect(readScore('', 30)).toEqual({ ok: true, score: null });
    expect(readScore('30', 30)).toEqual({ ok: true, score: 30 });
  });

  it('says what is wrong with anything else', () => {
    expect(readScore('31', 30)).toEqual({ ok: false, problem: '31 is above the most marks, 30.' });
    expect(readScore('-2', 30)).toEqual({ ok: false, problem: '-2 is below 0.' });
    expect(readScore('12.3', 30)).toEqual({ ok: false, problem: '12.3 is not a whole or half mark.' });
    expect(readScore('abs', 30)).toEqual({ ok: false, problem: '"abs" is not a mark. Type a number, or leave it blank if not sat.' });
    expect(scoreText(null)).toBe('');
    expect(scoreText(17.5)).toBe('17.5');
  });
});

describe('report card print routes', () => {
  it('carry the term through the hash, spaces and all', async () => {
    const { parsePrintHash, printHash } = await import('../../renderer/src/features/print/route.js');
    const id = '0190d000-0000-7000-8000-000000000021';
    const card = { kind: 'report-card', studentId: id, term: 'Term 1 2027' } as const;
    expect(printHash(card)).toBe(`#/print/report-card/${id}/Term%201%202027`);
    expect(parsePrintHash(printHash(card))).toEqual(card);
    const batch = { kind: 'class-report-cards', classId: id, term: 'Term 1 2027' } as const;
    expect(parsePrintHash(printHash(batch))).toEqual(batch);
    expect(parsePrintHash(`#/print/report-card/${id}/%E0%A4%A`)).toBeNull();
    expect(parsePrintHash(`#/print/receipt/${id}`)).toEqual({ kind: 'receipt', paymentId: id });
  });
});

describe("a grid row's result column", () => {
  const cat = { id: 'cat', weight: 30, maxScore: 30 };
  const exam = { id: 'exam', weight: 70, maxScore: 100 };
  const bands = [
    { grade: 'A', min: 80, max: 100, remark: 'Excellent' },
    { grade: 'B', min: 70, max: 79, remark: 'Very good' },
    { grade: 'D', min: 0, max: 69, remark: 'Needs support' },
  ];

  it('works out the weighted percentage and grade from the texts as typed, like the report card', () => {
    // 24/30 × 30 + 70/100 × 70 = 73.0: the report card e2e test's Amina.
    expect(rowResult([cat, exam], ['24', '70'], bands)).toEqual({ percent: 73, grade: 'B', excluded: 0 });
    expect(rowResult([cat, exam], ['29,5', ' 80 '], bands)).toEqual({ percent: 85.5, grade: 'A', excluded: 0 });
  });

  it('leaves a blank cell out as not sat, and a cell that is not a mark the same way (counting it)', () => {
    expect(rowResult([cat, exam], ['', '70'], bands)).toEqual({ percent: 70, grade: 'B', excluded: 0 });
    expect(rowResult([cat, exam], ['31', '70'], bands)).toEqual({ percent: 70, grade: 'B', excluded: 1 });
    expect(rowResult([cat, exam], ['abs', '12.3'], bands)).toEqual({ percent: null, grade: null, excluded: 2 });
    expect(rowResult([cat, exam], ['', ''], bands)).toEqual({ percent: null, grade: null, excluded: 0 });
  });

  it('scales weights not adding up to 100 and grades 79.5 as a B, as the report card does', () => {
    expect(rowResult([{ id: 'a', weight: 40, maxScore: 50 }, { id: 'b', weight: 40, maxScore: 50 }], ['40', '30'], bands)).toEqual({ percent: 70, grade: 'B', excluded: 0 });
    expect(rowResult([{ id: 'a', weight: 100, maxScore: 200 }], ['159'], bands)).toEqual({ percent: 79.5, grade: 'B', excluded: 0 });
  });

  it("grades with the class's own scale, else the default; none set up gives a percentage only", () => {
    const scale = (id: string, isDefault: boolean) => ({ id, name: id, bands, isDefault, classNames: [] });
    const scales = [scale('default', true), scale('own', false)];
    expect(scaleFor(scales, 'own')?.id).toBe('own');
    expect(scaleFor(scales, null)?.id).toBe('default');
    expect(scaleFor(scales, 'deleted-scale')?.id).toBe('default');
    expect(scaleFor([], null)).toBeNull();
    expect(rowResult([cat, exam], ['24', '70'], null)).toEqual({ percent: 73, grade: null, excluded: 0 });
  });
});
