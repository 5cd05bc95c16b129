// Money is always an integer count of the currency's minor units (cents), never a float.

/** Largest single payment accepted unless a school sets its own limit: 10,000,000.00 in a
 * two-decimal currency. Anything above is almost certainly a typing slip (an extra zero). */
export const DEFAULT_MAX_PAYMENT_MINOR = 1_000_000_000;

export const CURRENCY_PATTERN = /^[A-Z]{3}$/;

const exponents = new Map<string, number>();

/** Remembered per currency: building an Intl.NumberFormat costs far more than the parse it serves
 * (an imported statement parses tens of thousands of amounts). */
export function currencyExponent(currency: string): number {
  let exp = exponents.get(currency);
  if (exp === undefined) {
    try {
      exp = new Intl.NumberFormat('en', { style: 'currency', currency }).resolvedOptions().maximumFractionDigits ?? 2;
    } catch {
      exp = 2;
    }
    exponents.set(currency, exp);
  }
  return exp;
}

export function formatMinor(amountMinor: number, currency: string, locale = 'en'): string {
  const exp = currencyExponent(currency);
  const major = amountMinor / 10 ** exp;
  return new Intl.NumberFormat(locale, {
    style: 'currency',
    currency,
    minimumFractionDigits: exp,
    maximumFractionDigits: exp,
  }).format(major);
}

export type ParsedAmount = { ok: true; minor: number } | { ok: false; error: string };

/** Parses what a person types ("1,200.50", "300") into minor units, exactly, without floats. */
export function parseMajorToMinor(text: string, currency: string): ParsedAmount {
  const exp = currencyExponent(currency);
  const cleaned = text.trim().replace(/[,\s]/g, '');
  if (cleaned === '') return { ok: false, error: 'Enter an amount.' };
  const m = /^(\d+)(?:\.(\d*))?$/.exec(cleaned);
  if (!m) return { ok: false, error: `"${text.trim()}" is not an amount: use digits and at most one decimal point.` };
  const whole = m[1]!;
  const frac = m[2] ?? '';
  if (frac.length > exp) {
    return {
      ok: false,
      error: exp === 0 ? `${currency} has no minor units: enter a whole amount.` : `Use at most ${exp} decimal places.`,
    };
  }
  const digits = (whole + frac.padEnd(exp, '0')).replace(/^0+(?=\d)/, '');
  if (digits.length > 15) return { ok: false, error: 'That amount is far too large.' };
  return { ok: true, minor: Number(digits) };
}
