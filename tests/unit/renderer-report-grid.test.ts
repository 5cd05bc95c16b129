// The scores grid's keyboard and paste behaviour and how it reads a typed mark, without a window.
import { describe, expect, it } from 'vitest';
import { nextCell, pastedCells, readScore, scoreText, type GridKey } from '../../renderer/src/features/reports/gridKeys.js';

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
