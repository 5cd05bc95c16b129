import { currencyExponent } from '../../../shared/money';

/** "1,200.00": an amount without the currency, for columns whose heading names it. */
export function formatPlain(minor: number, currency: string): string {
  const exp = currencyExponent(currency);
  return new Intl.NumberFormat('en', { minimumFractionDigits: exp, maximumFractionDigits: exp }).format(minor / 10 ** exp);
}

/** "1,200.00" as typed back into an amount box (no grouping), so a suggestion can be edited. */
export function formatEditable(minor: number, currency: string): string {
  const exp = currencyExponent(currency);
  const digits = String(Math.abs(minor)).padStart(exp + 1, '0');
  const whole = exp === 0 ? digits : digits.slice(0, -exp);
  return (minor < 0 ? '-' : '') + (exp === 0 ? whole : `${whole}.${digits.slice(-exp)}`);
}

/** "12.5K", "1.2M": an amount in few characters, for chart axes. */
export function formatCompact(minor: number, currency: string): string {
  return new Intl.NumberFormat('en', { notation: 'compact', maximumFractionDigits: 1 }).format(minor / 10 ** currencyExponent(currency));
}

/** 1200.5 for 120050 cents: an amount as a spreadsheet number in the currency's major unit. */
export function toMajor(minor: number, currency: string): number {
  return minor / 10 ** currencyExponent(currency);
}
