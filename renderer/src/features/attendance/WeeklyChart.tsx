import type { WeekRate } from '../../../../shared/domain/attendance-views';
import { formatDate } from '../../lib/time';

const WIDTH = 720;
const HEIGHT = 200;
const LEFT = 44;
const BOTTOM = 28;
const TOP = 10;

export const percent = (rate: number | null): string => (rate === null ? '—' : `${Math.round(rate * 100)}%`);

/** A class's rate per ISO week as SVG bars (the bursary's chart style); weeks with no marks are gaps. */
export function WeeklyChart({ weeks }: { weeks: readonly WeekRate[] }) {
  const plotW = WIDTH - LEFT - 8;
  const plotH = HEIGHT - TOP - BOTTOM;
  const slot = weeks.length > 0 ? plotW / weeks.length : plotW;
  const barW = Math.max(2, slot * 0.7);
  const y = (rate: number) => TOP + plotH - rate * plotH;
  return (
    <figure className="daily-chart" data-testid="weekly-chart">
      <svg viewBox={`0 0 ${WIDTH} ${HEIGHT}`} role="img" aria-label={`Attendance rate per week over ${weeks.length} weeks`}>
        {[0, 0.25, 0.5, 0.75, 1].map((t) => (
          <g key={t} className="chart-grid">
            <line x1={LEFT} x2={WIDTH - 8} y1={y(t)} y2={y(t)} />
            <text x={LEFT - 6} y={y(t)} dy="0.35em" textAnchor="end">
              {t * 100}%
            </text>
          </g>
        ))}
        {weeks.map((w, i) => {
          const x = LEFT + i * slot + (slot - barW) / 2;
          const label = weeks.length <= 12 || i % Math.ceil(weeks.length / 12) === 0;
          return (
            <g key={w.week} className="chart-bar">
              {w.rate !== null && (
                <rect x={x} y={y(w.rate)} width={barW} height={Math.max(1, TOP + plotH - y(w.rate))} rx={2} data-testid="chart-bar">
                  <title>
                    Week of {formatDate(w.monday)}: {percent(w.rate)} ({w.presentOrLate} of {w.marked})
                  </title>
                </rect>
              )}
              {label && (
                <text x={x + barW / 2} y={HEIGHT - 8} textAnchor="middle" className="chart-day">
                  {formatDate(w.monday).replace(/ \d{4}$/, '')}
                </text>
              )}
            </g>
          );
        })}
      </svg>
      <figcaption className="muted">Present or late, of students marked, per week (by its Monday). Point at a bar for its figures.</figcaption>
    </figure>
  );
}
