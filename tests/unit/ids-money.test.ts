import { describe, expect, it } from 'vitest';
import { UUID_PATTERN, uuidv7 } from '../../shared/ids.js';
import { formatMinor, parseMajorToMinor } from '../../shared/money.js';

describe('uuidv7', () => {
  it('makes version-7 ids that sort in the order they were made, even within one millisecond', () => {
    const ids = Array.from({ length: 2000 }, () => uuidv7(1_800_000_000_000));
    expect(ids.every((id) => UUID_PATTERN.test(id) && id[14] === '7' && '89ab'.includes(id[19]!))).toBe(true);
    expect([...ids].sort()).toEqual(ids);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it('keeps ordering when the clock steps backwards', () => {
    const a = uuidv7(1_900_000_000_000);
    const b = uuidv7(1_800_000_000_000);
    expect(b > a).toBe(true);
  });
});

describe('money', () => {
  it('parses what a person types into exact minor units', () => {
    expect(parseMajorToMinor('1,200.50', 'KES')).toEqual({ ok: true, minor: 120050 });
    expect(parseMajorToMinor(' 300 ', 'USD')).toEqual({ ok: true, minor: 30000 });
    expect(parseMajorToMinor('0.1', 'USD')).toEqual({ ok: true, minor: 10 });
    expect(parseMajorToMinor('19.99', 'USD')).toEqual({ ok: true, minor: 1999 });
    expect(parseMajorToMinor('150000', 'UGX')).toEqual({ ok: true, minor: 150000 });
  });

  it('refuses what is not an amount, with a reason', () => {
    expect(parseMajorToMinor('', 'KES')).toMatchObject({ ok: false, error: 'Enter an amount.' });
    expect(parseMajorToMinor('12.345', 'KES')).toMatchObject({ ok: false, error: 'Use at most 2 decimal places.' });
    expect(parseMajorToMinor('100.5', 'UGX')).toMatchObject({ ok: false, error: expect.stringMatching(/no minor units/) });
    expect(parseMajorToMinor('-5', 'KES')).toMatchObject({ ok: false });
    expect(parseMajorToMinor('1e5', 'KES')).toMatchObject({ ok: false });
    expect(parseMajorToMinor('12..5', 'KES')).toMatchObject({ ok: false });
    expect(parseMajorToMinor('9999999999999999', 'KES')).toMatchObject({ ok: false, error: 'That amount is far too large.' });
  });

  it('formats minor units in the currency', () => {
    expect(formatMinor(120050, 'KES')).toMatch(/^KES\s1,200\.50$/u);
    expect(formatMinor(150000, 'UGX')).toMatch(/^UGX\s150,000$/u);
  });
});
