import { useEffect, useState } from 'react';
import type { AppError } from '../../../../shared/api/errors';
import type { EventView } from '../../../../shared/domain/calendar-views';
import { api, toAppError } from '../../api';
import { ErrorNotice } from '../../lib/ErrorNotice';
import { eventsOn, monthGrid, timeText, TYPE_LABELS } from './calendarMath';
import type { CalendarFilter } from './CalendarScreen';

const WEEKDAYS = ['Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun'];

interface Props {
  month: string;
  today: string;
  filter: CalendarFilter;
  /** Changes after a save, to read the month again. */
  version: number;
  canAdd: boolean;
  onOpen(e: EventView | { startsOn: string }): void;
}

/** A month as a grid of weeks; each day lists its events (an event over several days shows on each). */
export function MonthView({ month, today, filter, version, canAdd, onOpen }: Props) {
  const [events, setEvents] = useState<EventView[]>([]);
  const [error, setError] = useState<AppError | null>(null);

  useEffect(() => {
    let live = true;
    api
      .invoke('events.month', { month, ...filter })
      .then((r) => live && (setEvents(r.events), setError(null)))
      .catch((err) => live && setError(toAppError(err)));
    return () => {
      live = false;
    };
  }, [month, filter, version]);

  return (
    <>
      {error && <ErrorNotice error={error} testId="month-error" />}
      <div className="calendar-grid" data-testid="calendar-grid">
        {WEEKDAYS.map((d) => (
          <div key={d} className="day-head">
            {d}
          </div>
        ))}
        {monthGrid(month).map((day) => (
          <div
            key={day}
            className={`calendar-day${day.slice(0, 7) !== month ? ' is-other-month' : ''}${day === today ? ' is-today' : ''}`}
            data-testid="calendar-day"
            data-date={day}
            onDoubleClick={() => canAdd && onOpen({ startsOn: day })}
          >
            <span className="day-number">{Number(day.slice(8))}</span>
            {eventsOn(events, day).map((e) => (
              <button key={e.id} type="button" className={`calendar-event type-${e.type}`} onClick={() => onOpen(e)} title={`${TYPE_LABELS[e.type]}: ${e.title} ${timeText(e)}${e.className ? ` (${e.className})` : ''}`} data-testid="calendar-event">
                {e.startTime && e.startsOn === day ? `${e.startTime} ` : ''}
                {e.title}
              </button>
            ))}
          </div>
        ))}
      </div>
      <p className="muted">{canAdd ? 'Click an event to edit it; double-click a day to add one.' : 'Point at an event for its details.'}</p>
    </>
  );
}
