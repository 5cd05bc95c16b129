import { useCallback, useEffect, useRef, useState } from 'react';
import type { EventCursor, EventView } from '../../../../shared/domain/calendar-views';
import { api } from '../../api';
import { DataTable, type TableColumn } from '../../lib/DataTable';
import { ErrorNotice } from '../../lib/ErrorNotice';
import { formatDate } from '../../lib/time';
import { useKeysetPages } from '../../lib/useKeysetPages';
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
  const [total, setTotal] = useState<number | null>(null);
  const listFilter = { ...filter, from };

  const fetchListPage = useCallback(
    async (after: EventCursor | null) => {
      const page = await api.invoke('events.list', { filter: { ...filter, from }, after, limit: PAGE, withTotal: after === null });
      if (after === null) setTotal(page.total);
      return page;
    },
    [filter, from],
  );
  const pages = useKeysetPages(fetchListPage);
  const { rows, loaded, done, error, refresh } = pages;
  // After a save or a sync: the same pages again, so rows shown with "Show more" stay shown.
  const seen = useRef(version);
  useEffect(() => {
    if (seen.current === version) return;
    seen.current = version;
    void refresh();
  }, [version, refresh]);

  const fetchPage: FetchExportPage<EventView, EventCursor> = (after, withTotal, limit) => api.invoke('events.list', { filter: listFilter, after, limit, withTotal });

  return (
    <>
      <div className="screen-head-actions">
        <span className="muted" data-testid="events-count">
          {total === null ? '' : `${total} ${total === 1 ? 'event' : 'events'} from ${formatDate(from)}`}
        </span>
        <ExportButton list="events" fetchPage={fetchPage} shape={EVENTS_CSV} disabled={rows.length === 0} />
      </div>
      {error && <ErrorNotice error={error} onRetry={() => void pages.reload()} testId="events-error" />}
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
      {loaded && !done && (
        <button type="button" onClick={() => void pages.loadMore()}>
          Show more
        </button>
      )}
    </>
  );
}
