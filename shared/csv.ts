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

/** One record of a parsed file, with the line it starts on (1-based) for messages. */
export interface CsvRecord {
  line: number;
  fields: string[];
}

export type CsvParse = { ok: true; records: CsvRecord[] } | { ok: false; line: number; message: string };

const QUOTE = 34;
const CR = 13;
const LF = 10;

/**
 * Reads CSV as RFC 4180 writes it: fields in double quotes may hold the delimiter, line breaks
 * and "" for a quote. Lines may end in CRLF, LF or a lone CR (spreadsheets on every system); a
 * BOM at the start and a newline after the last record are dropped. An empty line is a record of
 * one empty field (the caller decides what a blank record means). Malformed quoting is refused,
 * naming the line, rather than guessed at: a guess could move an amount into another column.
 */
export function parseCsv(text: string, delimiter = ','): CsvParse {
  const sep = delimiter.charCodeAt(0);
  const records: CsvRecord[] = [];
  let pos = text.charCodeAt(0) === 0xfeff ? 1 : 0;
  let line = 1;
  const end = text.length;
  while (pos < end) {
    const recordLine = line;
    const fields: string[] = [];
    for (;;) {
      let value: string;
      if (text.charCodeAt(pos) === QUOTE) {
        const openedOn = line;
        let parts = '';
        let from = pos + 1;
        for (;;) {
          const q = text.indexOf('"', from);
          if (q < 0) {
            return { ok: false, line: openedOn, message: `Line ${openedOn}: a value starts with a quote (") that is never closed. Close it, or remove the quote.` };
          }
          line += countLineBreaks(text, from, q);
          parts += text.slice(from, q);
          if (text.charCodeAt(q + 1) === QUOTE) {
            parts += '"';
            from = q + 2;
            continue;
          }
          pos = q + 1;
          break;
        }
        const next = text.charCodeAt(pos);
        if (pos < end && next !== sep && next !== CR && next !== LF) {
          return { ok: false, line, message: `Line ${line}: a quoted value is followed by more text before the next ${describeDelimiter(delimiter)}. Put the whole value inside the quotes.` };
        }
        value = parts;
      } else {
        const start = pos;
        while (pos < end) {
          const c = text.charCodeAt(pos);
          if (c === sep || c === CR || c === LF) break;
          if (c === QUOTE) {
            return { ok: false, line, message: `Line ${line}: a quote (") appears inside a value that does not start with one. Put the value in quotes and write the quote twice ("").` };
          }
          pos++;
        }
        value = text.slice(start, pos);
      }
      fields.push(value);
      if (pos < end && text.charCodeAt(pos) === sep) {
        pos++;
        continue;
      }
      break;
    }
    // The record ends at a line break (CRLF counted once) or at the end of the text.
    if (text.charCodeAt(pos) === CR) pos++;
    if (text.charCodeAt(pos) === LF) pos++;
    line++;
    records.push({ line: recordLine, fields });
  }
  return { ok: true, records };
}

function countLineBreaks(text: string, from: number, to: number): number {
  let n = 0;
  for (let i = from; i < to; i++) {
    const c = text.charCodeAt(i);
    if (c === LF || (c === CR && text.charCodeAt(i + 1) !== LF)) n++;
  }
  return n;
}

function describeDelimiter(delimiter: string): string {
  return delimiter === ',' ? 'comma' : delimiter === ';' ? 'semicolon' : `"${delimiter}"`;
}
