export const MAX_ATTACHMENTS = 10;

/** A file name as stored: no folders (a browser may give "C:\fakepath\…"), no control characters. */
export function attachmentName(raw: string): string | null {
  const name = raw.split(/[\\/]/).pop()!.replace(/[\u0000-\u001f]/g, '').trim();
  return name === '' ? null : name.slice(0, 120);
}

/** Adds names to a list, without repeats and up to the limit; says what could not be added. */
export function addNames(names: readonly string[], raw: readonly string[]): { names: string[]; dropped: number } {
  const out = [...names];
  let dropped = 0;
  for (const r of raw) {
    const n = attachmentName(r);
    if (n === null || out.includes(n)) continue;
    if (out.length >= MAX_ATTACHMENTS) dropped++;
    else out.push(n);
  }
  return { names: out, dropped };
}
