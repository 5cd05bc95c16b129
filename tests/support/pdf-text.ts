import { inflateSync } from 'node:zlib';

// The text of a PDF printed by Chromium (Skia), enough for a test to check what a page says:
// Skia writes each font as Type0 with a ToUnicode CMap and draws text with hex glyph codes, in
// Flate-compressed content streams, a glyph at a time (spaces are glyphs too). Text objects
// (BT … ET) are joined with a space.

interface PdfObject {
  dict: string;
  stream: Buffer | null;
}

function readObjects(bytes: Buffer): Map<number, PdfObject> {
  const text = bytes.toString('latin1');
  const objects = new Map<number, PdfObject>();
  const head = /(\d+) 0 obj\b/g;
  let m: RegExpExecArray | null;
  while ((m = head.exec(text))) {
    const start = m.index + m[0].length;
    const end = text.indexOf('endobj', start);
    if (end < 0) break;
    const body = text.slice(start, end);
    const s = body.indexOf('stream');
    let stream: Buffer | null = null;
    let dict = body;
    if (s >= 0 && body.slice(0, s).includes('<<')) {
      dict = body.slice(0, s);
      let from = start + s + 'stream'.length;
      if (text[from] === '\r') from++;
      if (text[from] === '\n') from++;
      const to = text.lastIndexOf('endstream', end);
      const raw = bytes.subarray(from, to);
      stream = /\/FlateDecode/.test(dict) ? inflateSync(raw, { finishFlush: 2 }) : raw;
    }
    objects.set(Number(m[1]), { dict, stream });
    head.lastIndex = end;
  }
  return objects;
}

/** code (hex, as drawn) → text, from a ToUnicode CMap's bfchar and bfrange sections. */
function readCMap(cmap: string): { map: Map<string, string>; width: number } {
  const map = new Map<string, string>();
  const utf16 = (hex: string) => String.fromCharCode(...(hex.match(/.{4}/g) ?? []).map((h) => parseInt(h, 16)));
  const width = Number(/<([0-9a-fA-F]+)>\s*<[0-9a-fA-F]+>\s*endcodespacerange/.exec(cmap)?.[1]?.length ?? 4);
  for (const block of cmap.matchAll(/beginbfchar([\s\S]*?)endbfchar/g)) {
    for (const [, code, uni] of block[1]!.matchAll(/<([0-9a-fA-F]+)>\s*<([0-9a-fA-F]+)>/g)) map.set(code!.toLowerCase(), utf16(uni!));
  }
  for (const block of cmap.matchAll(/beginbfrange([\s\S]*?)endbfrange/g)) {
    for (const [, lo, hi, uni] of block[1]!.matchAll(/<([0-9a-fA-F]+)>\s*<([0-9a-fA-F]+)>\s*<([0-9a-fA-F]+)>/g)) {
      for (let c = parseInt(lo!, 16), u = parseInt(uni!, 16); c <= parseInt(hi!, 16); c++, u++) map.set(c.toString(16).padStart(lo!.length, '0'), String.fromCharCode(u));
    }
  }
  return { map, width };
}

const ref = (dict: string, key: string) => Number(new RegExp(`/${key}\\s+(\\d+) 0 R`).exec(dict)?.[1] ?? NaN);

/** The text of every page, in drawing order. */
export function pdfText(pdf: Uint8Array): string {
  const objects = readObjects(Buffer.from(pdf));
  const fonts = new Map<number, ReturnType<typeof readCMap>>();
  for (const [n, o] of objects) {
    const cmap = objects.get(ref(o.dict, 'ToUnicode'));
    if (/\/Type\s*\/Font/.test(o.dict) && cmap?.stream) fonts.set(n, readCMap(cmap.stream.toString('latin1')));
  }
  const out: string[] = [];
  for (const [, page] of objects) {
    if (!/\/Type\s*\/Page(?![a-zA-Z])/.test(page.dict)) continue;
    let resources = page.dict;
    const resRef = ref(page.dict, 'Resources');
    if (!Number.isNaN(resRef)) resources = objects.get(resRef)?.dict ?? '';
    const fontDict = /\/Font\s*<<([\s\S]*?)>>/.exec(resources)?.[1] ?? objects.get(ref(resources, 'Font'))?.dict ?? '';
    const byName = new Map([...fontDict.matchAll(/\/([\w.+-]+)\s+(\d+) 0 R/g)].map(([, name, n]) => [name!, fonts.get(Number(n))]));
    const contents = [...(/\/Contents\s*\[([^\]]*)\]/.exec(page.dict)?.[1] ?? /\/Contents\s+(\d+ 0 R)/.exec(page.dict)?.[1] ?? '').matchAll(/(\d+) 0 R/g)].map((r) => objects.get(Number(r[1]))?.stream);
    for (const stream of contents) {
      if (!stream) continue;
      let font: ReturnType<typeof readCMap> | undefined;
      const ops = stream.toString('latin1').matchAll(/\/([\w.+-]+)\s+[\d.]+\s+Tf|<([0-9a-fA-F]*)>|\b(ET)\b/g);
      for (const [, fontName, hex, op] of ops) {
        if (fontName) font = byName.get(fontName);
        else if (hex !== undefined && font) {
          const codes = hex.toLowerCase().match(new RegExp(`.{${font.width}}`, 'g')) ?? [];
          out.push(codes.map((c) => font!.map.get(c) ?? '').join(''));
        } else if (op) out.push(' ');
      }
    }
    out.push('\n');
  }
  return out.join('').replace(/[ \t]+/g, ' ');
}
