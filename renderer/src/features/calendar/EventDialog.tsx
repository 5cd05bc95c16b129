import { useState, type FormEvent } from 'react';
import type { AppError } from '../../../../shared/api/errors';
import { EVENT_TYPES, eventProblem, type EventType } from '../../../../shared/domain/calendar';
import type { EventView } from '../../../../shared/domain/calendar-views';
import { api, toAppError } from '../../api';
import { ConfirmDialog } from '../../lib/ConfirmDialog';
import { Dialog } from '../../lib/Dialog';
import { DialogActions } from '../../lib/DialogActions';
import { ErrorNotice } from '../../lib/ErrorNotice';
import { useSaveOnce } from '../../lib/useSaveOnce';
import { TYPE_LABELS } from './calendarMath';

interface Props {
  /** The event to edit, or the day a new one starts on. */
  event: EventView | { startsOn: string };
  classes: readonly { id: string; name: string }[];
  onDone(): void;
  onClose(): void;
}

/** Create, edit or delete an event. */
export function EventDialog({ event, classes, onDone, onClose }: Props) {
  const existing = 'id' in event ? event : null;
  const [title, setTitle] = useState(existing?.title ?? '');
  const [type, setType] = useState<EventType>(existing?.type ?? 'other');
  const [startsOn, setStartsOn] = useState(event.startsOn);
  const [endsOn, setEndsOn] = useState(existing?.endsOn ?? event.startsOn);
  const [startTime, setStartTime] = useState(existing?.startTime ?? '');
  const [endTime, setEndTime] = useState(existing?.endTime ?? '');
  const [location, setLocation] = useState(existing?.location ?? '');
  const [description, setDescription] = useState(existing?.description ?? '');
  const [classId, setClassId] = useState(existing?.classId ?? '');
  const [error, setError] = useState<AppError | null>(null);
  const [confirmDelete, setConfirmDelete] = useState(false);
  const { saving, save } = useSaveOnce();
  const datesProblem = startsOn && endsOn ? eventProblem({ starts_on: startsOn, ends_on: endsOn, start_time: startTime || null, end_time: endTime || null }) : null;

  function submit(e: FormEvent) {
    e.preventDefault();
    void save(async () => {
      try {
        await api.invoke('events.save', {
          id: existing?.id,
          title,
          type,
          startsOn,
          endsOn,
          startTime: startTime || null,
          endTime: endTime || null,
          location: location.trim() || null,
          description,
          classId: classId || null,
        });
        onDone();
      } catch (err) {
        setError(toAppError(err));
      }
    });
  }

  function remove() {
    if (!existing) return;
    void save(async () => {
      try {
        await api.invoke('events.delete', { id: existing.id });
        onDone();
      } catch (err) {
        setConfirmDelete(false);
        setError(toAppError(err));
      }
    });
  }

  if (confirmDelete && existing) {
    return (
      <ConfirmDialog title="Delete this event?" confirmLabel="Delete event" onConfirm={remove} onClose={() => setConfirmDelete(false)} busy={saving} testId="event-delete-dialog" confirmTestId="event-delete-confirm">
        <p>
          “{existing.title}” will be removed from the calendar on every computer when this one syncs.
        </p>
      </ConfirmDialog>
    );
  }

  return (
    <Dialog title={existing ? 'Edit event' : 'New event'} onClose={onClose} testId="event-dialog">
      <form onSubmit={submit} noValidate>
        <label className="field">
          <span className="field-label">Title</span>
          <input type="text" value={title} maxLength={120} required autoFocus onChange={(e) => setTitle(e.target.value)} data-testid="event-title" />
        </label>
        <div className="form-row">
          <label className="field">
            <span className="field-label">Type</span>
            <select value={type} onChange={(e) => setType(e.target.value as EventType)} data-testid="event-type">
              {EVENT_TYPES.map((t) => (
                <option key={t} value={t}>
                  {TYPE_LABELS[t]}
                </option>
              ))}
            </select>
          </label>
          <label className="field">
            <span className="field-label">For</span>
            <select value={classId} onChange={(e) => setClassId(e.target.value)} data-testid="event-class">
              <option value="">The whole school</option>
              {classes.map((c) => (
                <option key={c.id} value={c.id}>
                  {c.name}
                </option>
              ))}
            </select>
          </label>
        </div>
        <div className="form-row">
          <label className="field">
            <span className="field-label">Starts on</span>
            <input type="date" value={startsOn} required onChange={(e) => setStartsOn(e.target.value)} data-testid="event-starts" />
          </label>
          <label className="field">
            <span className="field-label">Ends on</span>
            <input type="date" value={endsOn} required onChange={(e) => setEndsOn(e.target.value)} data-testid="event-ends" />
          </label>
          <label className="field">
            <span className="field-label">From (optional)</span>
            <input type="time" value={startTime} onChange={(e) => setStartTime(e.target.value)} data-testid="event-start-time" />
          </label>
          <label className="field">
            <span className="field-label">Until (optional)</span>
            <input type="time" value={endTime} onChange={(e) => setEndTime(e.target.value)} data-testid="event-end-time" />
          </label>
        </div>
        {datesProblem && (
          <p className="field-error" data-testid="event-dates-problem">
            {datesProblem} Change the end date or time.
          </p>
        )}
        <label className="field">
          <span className="field-label">Location (optional)</span>
          <input type="text" value={location} maxLength={120} onChange={(e) => setLocation(e.target.value)} data-testid="event-location" />
        </label>
        <label className="field">
          <span className="field-label">Description (optional)</span>
          <textarea value={description} maxLength={1000} rows={3} onChange={(e) => setDescription(e.target.value)} data-testid="event-description" />
        </label>
        {error && <ErrorNotice error={error} testId="event-error" />}
        <DialogActions label={existing ? 'Save changes' : 'Add event'} savingLabel="Saving…" saving={saving} blocked={datesProblem !== null} testId="event-save" onCancel={onClose}>
          {existing && (
            <button type="button" className="danger" onClick={() => setConfirmDelete(true)} disabled={saving} data-testid="event-delete">
              Delete
            </button>
          )}
        </DialogActions>
      </form>
    </Dialog>
  );
}
