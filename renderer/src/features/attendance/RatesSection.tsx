import { useCallback, useEffect, useState } from 'react';
import type { AppError } from '../../../../shared/api/errors';
import type { ClassRates } from '../../../../shared/domain/attendance-views';
import { addDays } from '../../../../shared/domain/calendar-views';
import { api, toAppError } from '../../api';
import { DataTable, type TableColumn } from '../../lib/DataTable';
import { ErrorNotice } from '../../lib/ErrorNotice';
import { formatDate } from '../../lib/time';
import { percent, WeeklyChart } from './WeeklyChart';

const COLUMNS: readonly TableColumn[] = [{ label: 'Week' }, { label: 'Week of' }, { label: 'Marked', num: true }, { label: 'Present or late', num: true }, { label: 'Rate', num: true }];

/** A class's attendance rate by ISO week over a date range (the last eight weeks to start with). */
export function RatesSection({ classId, today, version }: { classId: string; today: string; /** Moves when marks were saved or synced. */ version: string }) {
  const [from, setFrom] = useState(addDays(today, -55));
  const [to, setTo] = useState(today);
  const [rates, setRates] = useState<ClassRates | null>(null);
  const [error, setError] = useState<AppError | null>(null);

  const load = useCallback(async () => {
    if (!classId || !from || !to) return;
    try {
      setRates(await api.invoke('attendance.classRates', { classId, from, to }));
      setError(null);
    } catch (err) {
      setError(toAppError(err));
    }
  }, [classId, from, to]);
  useEffect(() => void load(), [load, version]);

  return (
    <section className="screen-panel" aria-labelledby="rates-title">
      <div className="screen-head">
        <h2 id="rates-title">{rates ? `${rates.className}: attendance by week` : 'Attendance by week'}</h2>
      </div>
      <div className="form-row">
        <label className="field">
          <span className="field-label">From</span>
          <input type="date" value={from} onChange={(e) => setFrom(e.target.value)} data-testid="rates-from" />
        </label>
        <label className="field">
          <span className="field-label">To</span>
          <input type="date" value={to} onChange={(e) => setTo(e.target.value)} data-testid="rates-to" />
        </label>
      </div>
      {error && <ErrorNotice error={error} testId="rates-error" />}
      {rates && (
        <>
          <p className="muted" data-testid="rates-overall">
            {rates.overall.marked === 0 ? 'No registers taken in this range.' : `${percent(rates.overall.rate)} present or late over the range (${rates.overall.presentOrLate} of ${rates.overall.marked} marks).`}
          </p>
          {rates.overall.marked > 0 && <WeeklyChart weeks={rates.weeks} />}
          <DataTable columns={COLUMNS} testId="rates-table">
            <tbody>
              {rates.weeks.map((w) => (
                <tr key={w.week}>
                  <td>{w.week}</td>
                  <td>{formatDate(w.monday)}</td>
                  <td className="num">{w.marked}</td>
                  <td className="num">{w.presentOrLate}</td>
                  <td className="num">{percent(w.rate)}</td>
                </tr>
              ))}
            </tbody>
          </DataTable>
        </>
      )}
    </section>
  );
}
