// Timing helpers: a figure and its baseline are measured in alternating order in the same
// loop, so drift on a noisy machine (another process, CPU frequency, the page cache) falls on
// both sides and their ratio stays meaningful.

export interface Summary {
  n: number;
  median: number;
  p95: number;
  mean: number;
  min: number;
  max: number;
}

export function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  // Nearest rank.
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length - 1, Math.max(0, rank - 1))]!;
}

export function summarize(times: readonly number[]): Summary {
  const sorted = [...times].sort((a, b) => a - b);
  return {
    n: sorted.length,
    median: percentile(sorted, 50),
    p95: percentile(sorted, 95),
    mean: sorted.reduce((s, t) => s + t, 0) / sorted.length,
    min: sorted[0]!,
    max: sorted[sorted.length - 1]!,
  };
}

export type Work = (i: number) => unknown;

/**
 * Runs each function `iterations` times after `warmup` untimed rounds, rotating which goes
 * first in every round. Returns each one's times in milliseconds. Async functions are awaited
 * (their promise is part of the cost, as it is for core's callers).
 */
export async function interleave(fns: readonly Work[], options: { iterations: number; warmup: number }): Promise<number[][]> {
  const times = fns.map(() => [] as number[]);
  const total = options.warmup + options.iterations;
  for (let round = 0; round < total; round++) {
    for (let k = 0; k < fns.length; k++) {
      const j = (round + k) % fns.length;
      const start = performance.now();
      const out = fns[j]!(round);
      if (out instanceof Promise) await out;
      const elapsed = performance.now() - start;
      if (round >= options.warmup) times[j]!.push(elapsed);
    }
  }
  return times;
}
