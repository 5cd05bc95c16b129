import { useCallback, useEffect, useState } from 'react';
import type { AppError } from '../../../../shared/api/errors';
import { EVENT_TYPES, type EventType } from '../../../../shared/domain/calendar';
import type { EventView } from '../../../../shared/domain/calendar-views';
import { api, toAppError } from '../../api';
import { ErrorNotice } from '../../lib/ErrorNotice';
import { todayIsoDate } from '../../lib/time';
import { useCan } from '../session/store';
import { useAfterSync } from '../sync/useAfterSync';
import { EventDialog } from './EventDialog';
import { EventList } from './EventList';
import { MonthView } from './MonthView';
import { shiftMonth, TYPE_LABELS } from './calendarMath';
import '../attendance/attendance.css';

export interface CalendarFilter {
  type?: EventType;
  classId?: string;
}

/** The school calendar: a month at a glance or a list by date, filtered by type and class. */
export function CalendarScreen() {
  const canManage = useCan('events.manage');
  const canSeeClasses = useCan('students.view');
  const today = todayIsoDate();
  const [view, setView] = useState<'month' | 'list'>('month');
  const [month, setMonth] = useState(today.slice(0, 7));
  const [filter, setFilter] = useState<CalendarFilter>({});
  const [classes, setClasses] = useState<{ id: string; name: string }[]>([]);
  const [editing, setEditing] = useState<EventView | { startsOn: string } | null>(null);
  // Moves after a save here or a sync, so the month or the list is read again.
  const [version, setVersion] = useState(0);
  const [error, setError] = useState<AppError | null>(null);

  useEffect(() => {
    if (!canSeeClasses) return;
    api
      .invoke('classes.list', {})
      .then((l) => setClasses(l.classes.map((c) => ({ id: c.id, name: c.name }))))
      .catch((err) => setError(toAppError(err)));
  }, [canSeeClasses, version]);
  // An event being edited stays as typed: the dialog keeps its own copy.
  useAfterSync(() => setVersion((v) => v + 1));

  const open = useCallback((e: EventView | { startsOn: string }) => {
    if (canManage) setEditing(e);
  }, [canManage]);

  return (
    <main className="app-main app-main-single screen">
      <section className="screen-panel" aria-labelledby="calendar-title">
        <div className="screen-head">
          <h2 id="calendar-title">Calendar</h2>
          <div className="screen-head-actions">
            <div role="group" aria-label="View">
              <button type="button" aria-pressed={view === 'month'} onClick={() => setView('month')} data-testid="calendar-month-view">
                Month
              </button>
              <button type="button" aria-pressed={view === 'list'} onClick={() => setView('list')} data-testid="calendar-list-view">
                List
              </button>
            </div>
            {canManage && (
              <button type="button" className="primary" onClick={() => setEditing({ startsOn: today })} data-testid="calendar-new">
                New event
              </button>
            )}
          </div>
        </div>
        <div className="form-row">
          <label className="field">
            <span className="field-label">Type</span>
            <select value={filter.type ?? ''} onChange={(e) => setFilter((f) => ({ ...f, type: (e.target.value || undefined) as EventType | undefined }))} data-testid="calendar-type">
              <option value="">Every type</option>
              {EVENT_TYPES.map((t) => (
                <option key={t} value={t}>
                  {TYPE_LABELS[t]}
                </option>
              ))}
            </select>
          </label>
          {classes.length > 0 && (
            <label className="field">
              <span className="field-label">Class</span>
              <select value={filter.classId ?? ''} onChange={(e) => setFilter((f) => ({ ...f, classId: e.target.value || undefined }))} data-testid="calendar-class">
                <option value="">Every class and the whole school</option>
                {classes.map((c) => (
                  <option key={c.id} value={c.id}>
                    {c.name} only
                  </option>
                ))}
              </select>
            </label>
          )}
          {view === 'month' && (
            <div className="field calendar-nav">
              <span className="field-label">Month</span>
              <div>
                <button type="button" onClick={() => setMonth((m) => shiftMonth(m, -1))} aria-label="Previous month">
                  ‹
                </button>
                <input type="month" value={month} onChange={(e) => e.target.value && setMonth(e.target.value)} data-testid="calendar-month" />
                <button type="button" onClick={() => setMonth((m) => shiftMonth(m, 1))} aria-label="Next month">
                  ›
                </button>
                <button type="button" onClick={() => setMonth(today.slice(0, 7))}>
                  This month
                </button>
              </div>
            </div>
          )}
        </div>
        {error && <ErrorNotice error={error} testId="calendar-error" />}
        {view === 'month' ? (
          <MonthView month={month} today={today} filter={filter} version={version} onOpen={open} canAdd={canManage} />
        ) : (
          <EventList filter={filter} from={`${month}-01`} version={version} onOpen={open} />
        )}
      </section>
      {editing && (
        <EventDialog
          event={editing}
          classes={classes}
          onClose={() => setEditing(null)}
          onDone={() => {
            setEditing(null);
            setVersion((v) => v + 1);
          }}
        />
      )}
    </main>
  );
}
