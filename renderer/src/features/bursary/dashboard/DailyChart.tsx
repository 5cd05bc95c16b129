import { formatMinor } from '../../../../../shared/money';
import { formatDate } from '../../../lib/time';
import { formatCompact } from '../../../lib/money';
import { niceCeiling, ticks } from './chartScale';

interface Props {
  daily: readonly { date: string; collectedMinor: number }[];
  currency: string;
}

const WIDTH = 720;
const HEIGHT = 220;
const LEFT = 72;
const BOTTOM = 28;
const TOP = 10;

/** Collected per day over the last 30 days, as SVG bars (no chart library); each bar says its day and sum. */
export function DailyChart({ daily, currency }: Props) {
  const max = Math.max(0, ...daily.map((d) => d.collectedMinor));
  const top = niceCeiling(max);
  const plotW = WIDTH - LEFT - 8;
  const plotH = HEIGHT - TOP - BOTTOM;
  const slot = daily.length > 0 ? plotW / daily.length : plotW;
  const barW = Math.max(2, slot * 0.7);
  const y = (minor: number) => TOP + plotH - (minor / top) * plotH;
  const total = daily.reduce((s, d) => s + d.collectedMinor, 0);

  return (
    <figure className="daily-chart" data-testid="daily-chart">
      <svg viewBox={`0 0 ${WIDTH} ${HEIGHT}`} role="img" aria-label={`Collected per day over the last ${daily.length} days, ${formatMinor(total, currency)} in all`}>
        {ticks(top).map((t) => (
          <g key={t} className="chart-grid">
            <line x1={LEFT} x2={WIDTH - 8} y1={y(t)} y2={y(t)} />
            <text x={LEFT - 6} y={y(t)} dy="0.35em" textAnchor="end">
              {formatCompact(t, currency)}
            </text>
          </g>
        ))}
        {daily.map((d, i) => {
          const x = LEFT + i * slot + (slot - barW) / 2;
          const h = TOP + plotH - y(d.collectedMinor);
          // A date every week, counted back from today so the last bar is always named.
          const label = (daily.length - 1 - i) % 7 === 0;
          return (
            <g key={d.date} className="chart-bar">
              <rect x={x} y={y(d.collectedMinor)} width={barW} height={Math.max(h, d.collectedMinor > 0 ? 1 : 0)} rx={2} data-testid="chart-bar">
                <title>
                  {formatDate(d.date)}: {formatMinor(d.collectedMinor, currency)}
                </title>
              </rect>
              {label && (
                <text x={x + barW / 2} y={HEIGHT - 8} textAnchor="middle" className="chart-day">
                  {formatDate(d.date).replace(/ \d{4}$/, '')}
                </text>
              )}
            </g>
          );
        })}
      </svg>
      <figcaption className="muted">Collected per day, last {daily.length} days. Point at a bar for its day and sum.</figcaption>
    </figure>
  );
}
