// CSV as spreadsheets read it (RFC 4180, CRLF). Shared so every export (audit, ledger lists)
// defuses formulas the same way.

/** One CSV field: quoted when it holds a comma, quote or line break. A leading = + - @ is
 * defused with an apostrophe, so a spreadsheet never runs a name as a formula. Numbers are
 * written as they are (a negative amount stays a number). */
export function csvField(value: string | number | boolean | null | undefined): string {
  if (value === null || value === undefined) return '';
  let s = String(value);
  if (typeof value === 'string' && /^[=+\-@\t\r]/.test(s)) s = `'${s}`;
  return /[",\r\n]/.test(s) ? `"${s.replaceAll('"', '""')}"` : s;
}

export function csvLine(values: readonly (string | number | boolean | null | undefined)[]): string {
  return values.map(csvField).join(',') + '\r\n';
}

export function toCsv(header: readonly string[], rows: readonly (readonly (string | number | boolean | null | undefined)[])[]): string {
  return csvLine(header) + rows.map(csvLine).join('');
}
