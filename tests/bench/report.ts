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

/** One line of the table: a figure, what it is compared with, and the budgets it is held to. */
export interface Figure {
  id: string;
  group: string;
  label: string;
  unit: 'ms' | 'rows/s';
  /** Milliseconds per operation, or rows per second (median batch / 95th-percentile-slow batch). */
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

function num(v: number, unit: Figure['unit']): string {
  if (unit === 'rows/s') return Math.round(v).toLocaleString('en');
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
    const unit = f.unit === 'ms' ? ' ms' : ' rows/s';
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
