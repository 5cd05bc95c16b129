import { useEffect } from 'react';
import { useSession } from './features/session/store';
import { startSyncPolling } from './features/sync/store';
import { StatusBar } from './features/sync/StatusBar';
import { StudentsList } from './features/students/StudentsList';
import { useStudents } from './features/students/store';
import { StudentPanel } from './features/payments/StudentPanel';

export function App() {
  const info = useSession((s) => s.info);
  const error = useSession((s) => s.error);
  const load = useSession((s) => s.load);
  const selected = useStudents((s) => s.selected);

  useEffect(() => {
    void load();
    return startSyncPolling();
  }, [load]);

  return (
    <div className="app">
      <header className="app-header">
        <h1 className="school-name" data-testid="school-name">
          {info?.schoolName ?? 'Schoolhouse'}
        </h1>
        {info && <span className="device-name">{info.deviceName}</span>}
      </header>

      {info ? (
        <main className="app-main">
          <StudentsList />
          {selected ? (
            <StudentPanel key={selected.id} student={selected} currency={info.currency} />
          ) : (
            <section className="student-panel student-panel-empty" aria-label="Selected student">
              <p>Find a student on the left and press Enter (or click the name) to record a payment.</p>
            </section>
          )}
        </main>
      ) : (
        <main className="app-main app-main-single">
          {error ? (
            <div className="notice notice-error" role="alert">
              <p>Schoolhouse could not open: {error.message}</p>
              <button type="button" onClick={() => void load()}>
                Try again
              </button>
            </div>
          ) : (
            <p className="muted">Opening Schoolhouse…</p>
          )}
        </main>
      )}

      <StatusBar />
    </div>
  );
}
