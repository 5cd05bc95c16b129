// The benchmark's result model, the printed table, and the machine description.
import { readFileSync } from 'node:fs';
import { cpus, loadavg, release, totalmem } from 'node:os';
import { join, resolve } from 'node:path';
import type { Summary } from './measure.js';

const root = resolve(import.meta.dirname, '../..');

export interface Check {
  /** What the design asks, e.g. "p95 < 1 ms" or "≤ 1.3x raw". */
  text: string;
  met: boolean;
}

/**
 * Units a figure may carry. Rates (`/s`) are higher-is-better; the others lower-is-better.
 * Parts of the bench that run as their own process (`--json <file>`) write
 * `{ "suite": "<name>", "figures": Figure[], "info"?: {...} }` to that file; scripts/bench.ts
 * merges them into one table.
 */
export const UNITS = ['ms', 's', 'rows/s', 'mutations/s', 'MB', 'frames'] as const;
export type Unit = (typeof UNITS)[number];

/** One line of the table: a figure, what it is compared with, and the budgets it is held to. */
export interface Figure {
  id: string;
  group: string;
  label: string;
  unit: Unit;
  /**
   * Milliseconds per operation, or a rate (median batch / 95th-percentile-slow batch), or a
   * single reading (MB, s, frames) in both columns when there is one sample.
   */
  median: number;
  p95: number;
  samples: number;
  baseline: { label: string; median: number; p95: number } | null;
  /** Median time of the figure ÷ median time of the baseline: above 1 = slower than the baseline. */
  ratio: number | null;
  checks: Check[];
  /** Diagnostic figures explain others; they carry no budget. */
  diagnostic?: boolean;
  note?: string;
}

export function timeFigure(
  base: Omit<Figure, 'unit' | 'median' | 'p95' | 'samples' | 'baseline' | 'ratio'>,
  figure: Summary,
  baseline: { label: string; summary: Summary } | null,
): Figure {
  return {
    ...base,
    unit: 'ms',
    median: figure.median,
    p95: figure.p95,
    samples: figure.n,
    baseline: baseline ? { label: baseline.label, median: baseline.summary.median, p95: baseline.summary.p95 } : null,
    ratio: baseline ? figure.median / baseline.summary.median : null,
  };
}

/** Batch times (ms) of `rowsPerBatch` rows turned into rows/s; the p95 column is the rate of the slow (p95) batch. */
export function rateFigure(
  base: Omit<Figure, 'unit' | 'median' | 'p95' | 'samples' | 'baseline' | 'ratio'>,
  rowsPerBatch: number,
  figure: Summary,
  baseline: { label: string; summary: Summary } | null,
): Figure {
  const rate = (ms: number) => (rowsPerBatch * 1000) / ms;
  return {
    ...base,
    unit: 'rows/s',
    median: rate(figure.median),
    p95: rate(figure.p95),
    samples: figure.n,
    baseline: baseline ? { label: baseline.label, median: rate(baseline.summary.median), p95: rate(baseline.summary.p95) } : null,
    ratio: baseline ? figure.median / baseline.summary.median : null,
  };
}

function num(v: number, unit: Unit): string {
  if (unit.endsWith('/s') || unit === 'frames') return Math.round(v).toLocaleString('en');
  if (unit === 'MB') return v.toFixed(0);
  if (v >= 100) return v.toFixed(0);
  if (v >= 10) return v.toFixed(1);
  if (v >= 1) return v.toFixed(2);
  return v.toFixed(3);
}

export interface TableRow {
  figure: string;
  median: string;
  p95: string;
  baseline: string;
  ratio: string;
  budget: string;
  met: string;
}

export function tableRows(figures: readonly Figure[]): TableRow[] {
  return figures.map((f) => {
    const unit = ` ${f.unit}`;
    const failed = f.checks.filter((c) => !c.met);
    return {
      figure: f.label,
      median: num(f.median, f.unit) + unit,
      p95: num(f.p95, f.unit) + unit,
      baseline: f.baseline ? `${f.baseline.label}: ${num(f.baseline.median, f.unit)} / ${num(f.baseline.p95, f.unit)}` : '—',
      ratio: f.ratio === null ? '—' : `${f.ratio.toFixed(2)}x`,
      budget: f.checks.length ? f.checks.map((c) => c.text).join('; ') : f.diagnostic ? '(diagnostic)' : '—',
      met: f.checks.length === 0 ? '—' : failed.length === 0 ? 'yes' : `NO (${failed.map((c) => c.text).join('; ')})`,
    };
  });
}

const HEADERS: TableRow = { figure: 'figure', median: 'median', p95: 'p95', baseline: 'baseline (median / p95)', ratio: 'ratio', budget: 'budget', met: 'met?' };
const KEYS = Object.keys(HEADERS) as (keyof TableRow)[];

export function textTable(figures: readonly Figure[]): string {
  const rows = [HEADERS, ...tableRows(figures)];
  const widths = KEYS.map((k) => Math.max(...rows.map((r) => r[k].length)));
  const line = (r: TableRow) => KEYS.map((k, i) => (k === 'median' || k === 'p95' || k === 'ratio' ? r[k].padStart(widths[i]!) : r[k].padEnd(widths[i]!))).join('  ').trimEnd();
  return [line(rows[0]!), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.slice(1).map(line)].join('\n');
}

export function markdownTable(figures: readonly Figure[]): string {
  const esc = (s: string) => s.replace(/\|/g, '\\|');
  const out = [`| ${KEYS.map((k) => HEADERS[k]).join(' | ')} |`, `|${KEYS.map((k) => (k === 'median' || k === 'p95' || k === 'ratio' ? '---:' : '---')).join('|')}|`];
  for (const r of tableRows(figures)) out.push(`| ${KEYS.map((k) => esc(r[k])).join(' | ')} |`);
  return out.join('\n');
}

export interface Machine {
  cpu: string;
  cores: number;
  ramGiB: number;
  node: string;
  os: string;
  kernel: string;
  sqlite: string;
  betterSqlite3: string;
  kysely: string;
  /** 1-minute load average when the measurements started and ended (other work on the machine). */
  loadAverage: { start: number; end: number };
}

function readOr(file: string, fallback: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch {
    return fallback;
  }
}

function packageVersion(name: string): string {
  const pkg = JSON.parse(readOr(join(root, 'node_modules', name, 'package.json'), '{}')) as { version?: string };
  return pkg.version ?? 'unknown';
}

export function loadAverageNow(): number {
  return Math.round(loadavg()[0]! * 100) / 100;
}

export function describeMachine(sqliteVersion: string, loadAtStart: number): Machine {
  const cpuinfo = readOr('/proc/cpuinfo', '');
  const model = /^model name\s*:\s*(.+)$/m.exec(cpuinfo)?.[1]?.trim() ?? cpus()[0]?.model ?? 'unknown';
  const osName = /^PRETTY_NAME="?([^"\n]+)"?$/m.exec(readOr('/etc/os-release', ''))?.[1] ?? process.platform;
  return {
    cpu: model,
    cores: cpus().length,
    ramGiB: Math.round((totalmem() / 1024 ** 3) * 10) / 10,
    node: process.version,
    os: osName,
    kernel: release(),
    sqlite: sqliteVersion,
    betterSqlite3: packageVersion('better-sqlite3'),
    kysely: packageVersion('kysely'),
    loadAverage: { start: loadAtStart, end: loadAverageNow() },
  };
}

/** What a part run as its own process writes with `--json <file>`. */
export interface PartResult {
  suite: string;
  figures: Figure[];
  info?: Record<string, unknown>;
}

const isNum = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);

/** Reads a part's `--json` output, refusing anything that is not a list of figures (a clear error, not a broken table). */
export function parsePartResult(text: string, source: string): PartResult {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (err) {
    throw new Error(`${source}: not JSON (${(err as Error).message})`);
  }
  const obj = (Array.isArray(raw) ? { suite: source, figures: raw } : raw) as Partial<PartResult> | null;
  if (!obj || typeof obj !== 'object' || !Array.isArray(obj.figures)) throw new Error(`${source}: expected { suite, figures: [...] }`);
  obj.figures.forEach((f: Partial<Figure>, i) => {
    const where = `${source}: figure ${i} (${String(f?.id)})`;
    if (!f || typeof f.id !== 'string' || typeof f.label !== 'string') throw new Error(`${where}: needs an id and a label`);
    if (!UNITS.includes(f.unit as Unit)) throw new Error(`${where}: unit "${String(f.unit)}" is not one of ${UNITS.join(', ')}`);
    if (!isNum(f.median) || !isNum(f.p95)) throw new Error(`${where}: median and p95 must be numbers`);
    if (!Array.isArray(f.checks) || f.checks.some((c) => typeof c?.text !== 'string' || typeof c?.met !== 'boolean')) throw new Error(`${where}: checks must be [{ text, met }]`);
    if (f.baseline != null && (!isNum(f.baseline.median) || !isNum(f.baseline.p95) || typeof f.baseline.label !== 'string')) throw new Error(`${where}: baseline must be { label, median, p95 }`);
    if (f.ratio != null && !isNum(f.ratio)) throw new Error(`${where}: ratio must be a number or null`);
  });
  return {
    suite: typeof obj.suite === 'string' ? obj.suite : source,
    figures: obj.figures.map((f) => ({ ...f, group: f.group ?? '', samples: f.samples ?? 1, baseline: f.baseline ?? null, ratio: f.ratio ?? null })),
    ...(obj.info && typeof obj.info === 'object' ? { info: obj.info } : {}),
  };
}
