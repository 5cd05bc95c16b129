/** A "nice" top for a bar chart's axis: 1, 2, 2.5 or 5 times a power of ten, at least `max`. */
export function niceCeiling(max: number): number {
  if (max <= 0) return 1;
  const power = 10 ** Math.floor(Math.log10(max));
  for (const step of [1, 2, 2.5, 5, 10]) if (step * power >= max) return step * power;
  return 10 * power;
}

/** How many steps divide a nice top into round values: 1 → 0.2s, 2 → 0.5s, 2.5 → 0.5s, 5 → 1s. */
export function tickCount(top: number): number {
  const lead = top / 10 ** Math.floor(Math.log10(top));
  return lead === 2 ? 4 : 5;
}

/** Evenly spaced axis values from 0 to `top` (inclusive). */
export function ticks(top: number, count = tickCount(top)): number[] {
  return Array.from({ length: count + 1 }, (_, i) => (top * i) / count);
}
