import { describe, expect, it } from 'vitest';
import { derivedId, derivedIdsUnder, UUID_PATTERN, uuidv7 } from '../../shared/ids.js';
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

/** FNV-1a 128 as its definition reads, with BigInt: what derivedId computed before its limbs. */
function referenceId(...parts: string[]): string {
  let h = 0x6c62272e07bb014262b821756295c58dn;
  for (const byte of new TextEncoder().encode(parts.join('\u001f'))) h = ((h ^ BigInt(byte)) * 0x0000000001000000000000000000013bn) & ((1n << 128n) - 1n);
  const x = h.toString(16).padStart(32, '0');
  const variant = (0x8 | (parseInt(x[16]!, 16) & 0x3)).toString(16) + x[17];
  return `${x.slice(0, 8)}-${x.slice(8, 12)}-8${x[13]}${x.slice(14, 16)}-${variant}${x.slice(18, 20)}-${x.slice(20)}`;
}

describe('derivedId', () => {
  it('is FNV-1a 128 of the parts, for any text (ids already stored never change)', () => {
    const parts: string[][] = [[''], ['student-guardian', uuidv7(), uuidv7()], ['score', 'é ñ ü 学校 🎓', 'x'.repeat(300)], ['\u0000', '\uffff', 'ÿ']];
    for (let i = 0; i < 200; i++) parts.push([`attendance-${i}`, String.fromCharCode(...Array.from({ length: i % 40 }, (_, k) => 32 + ((i * 31 + k * 7) % 2000)))]);
    for (const p of parts) expect(derivedId(...p)).toBe(referenceId(...p));
    expect(derivedIdsUnder('payment-import', 'abc')('7')).toBe(referenceId('payment-import', 'abc', '7'));
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
