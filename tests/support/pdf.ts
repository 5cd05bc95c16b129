/** Whether these bytes are a PDF file at all: every PDF starts with its "%PDF-" header. */
export function isPdf(bytes: Uint8Array): boolean {
  return Buffer.from(bytes.subarray(0, 5)).toString('latin1') === '%PDF-';
}

/**
 * How many pages a PDF printed by Chromium has. Chromium (Skia) writes each page object's
 * dictionary uncompressed, so its "/Type /Page" entries can be counted ("/Pages" is the tree,
 * not a page). The page tree's /Count must say the same, or the count is not trusted.
 */
export function pdfPageCount(bytes: Uint8Array): number {
  const text = Buffer.from(bytes).toString('latin1');
  const pages = text.match(/\/Type\s*\/Page(?![a-zA-Z])/g)?.length ?? 0;
  const tree = /\/Type\s*\/Pages\b[^>]*?\/Count\s+(\d+)|\/Count\s+(\d+)[^>]*?\/Type\s*\/Pages\b/.exec(text);
  const count = tree ? Number(tree[1] ?? tree[2]) : NaN;
  if (pages !== count) throw new Error(`The PDF's page objects (${pages}) and its page tree's /Count (${tree ? count : 'missing'}) disagree`);
  return pages;
}
