import { useCallback, useEffect, useState } from 'react';
import type { AppError } from '../../../../shared/api/errors';
import type { EventCursor, EventView } from '../../../../shared/domain/calendar-views';
import { api, toAppError } from '../../api';
import { DataTable, type TableColumn } from '../../lib/DataTable';
import { ErrorNotice } from '../../lib/ErrorNotice';
import { formatDate } from '../../lib/time';
import { ExportButton } from '../bursary/lists/ExportButton';
import type { CsvShape, FetchExportPage } from '../bursary/lists/exportRows';
import { timeText, TYPE_LABELS } from './calendarMath';
import type { CalendarFilter } from './CalendarScreen';

const COLUMNS: readonly TableColumn[] = [{ label: 'Dates' }, { label: 'Time' }, { label: 'Event' }, { label: 'Type' }, { label: 'For' }, { label: 'Location' }];
const PAGE = 100;

export const EVENTS_CSV: CsvShape<EventView> = {
  header: ['title', 'type', 'starts_on', 'ends_on', 'start_time', 'end_time', 'location', 'class', 'description'],
  cells: (e) => [e.title, TYPE_LABELS[e.type], e.startsOn, e.endsOn, e.startTime, e.endTime, e.location, e.className ?? 'Whole school', e.description],
};

interface Props {
  filter: CalendarFilter;
  /** Events starting on or after this day. */
  from: string;
  version: number;
  onOpen(e: EventView): void;
}

/** Events by date from the month shown on, a page at a time, with a CSV export of the same list. */
export function EventList({ filter, from, version, onOpen }: Props) {
  const [rows, setRows] = useState<EventView[]>([]);
  const [next, setNext] = useState<EventCursor | null>(null);
  const [total, setTotal] = useState<number | null>(null);
  const [error, setError] = useState<AppError | null>(null);
  const listFilter = { ...filter, from };

  const load = useCallback(
    async (after: EventCursor | null) => {
      try {
        const page = await api.invoke('events.list', { filter: { ...filter, from }, after, limit: PAGE, withTotal: after === null });
        setRows((r) => (after ? [...r, ...page.rows] : page.rows));
        setNext(page.next);
        if (after === null) setTotal(page.total);
        setError(null);
      } catch (err) {
        setError(toAppError(err));
      }
    },
    [filter, from],
  );
  useEffect(() => void load(null), [load, version]);

  const fetchPage: FetchExportPage<EventView, EventCursor> = (after, withTotal, limit) => api.invoke('events.list', { filter: listFilter, after, limit, withTotal });

  return (
    <>
      <div className="screen-head-actions">
        <span className="muted" data-testid="events-count">
          {total === null ? '' : `${total} ${total === 1 ? 'event' : 'events'} from ${formatDate(from)}`}
        </span>
        <ExportButton list="events" fetchPage={fetchPage} shape={EVENTS_CSV} disabled={rows.length === 0} />
      </div>
      {error && <ErrorNotice error={error} onRetry={() => void load(null)} testId="events-error" />}
      {rows.length === 0 ? (
        <p className="muted">No events from {formatDate(from)} with these filters.</p>
      ) : (
        <DataTable columns={COLUMNS} testId="events-table">
          <tbody>
            {rows.map((e) => (
              <tr key={e.id} data-testid="event-row">
                <td>{e.startsOn === e.endsOn ? formatDate(e.startsOn) : `${formatDate(e.startsOn)} – ${formatDate(e.endsOn)}`}</td>
                <td>{timeText(e)}</td>
                <td>
                  <button type="button" className="link-button" onClick={() => onOpen(e)}>
                    {e.title}
                  </button>
                </td>
                <td>{TYPE_LABELS[e.type]}</td>
                <td>{e.className ?? 'Whole school'}</td>
                <td>{e.location ?? ''}</td>
              </tr>
            ))}
          </tbody>
        </DataTable>
      )}
      {next && (
        <button type="button" onClick={() => void load(next)}>
          Show more
        </button>
      )}
    </>
  );
}
