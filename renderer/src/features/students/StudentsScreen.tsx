import { StudentPanel } from '../payments/StudentPanel';
import { useCan } from '../session/store';
import { StudentsList } from './StudentsList';
import { useStudents } from './store';

/** The students list on the left, the chosen student on the right. */
export function StudentsScreen({ currency }: { currency: string }) {
  const selected = useStudents((s) => s.selected);
  const canRecord = useCan('payments.record');
  return (
    <main className="app-main">
      <StudentsList />
      {selected ? (
        <StudentPanel key={selected.id} student={selected} currency={currency} />
      ) : (
        <section className="student-panel student-panel-empty" aria-label="Selected student">
          <p>
            {canRecord
              ? 'Find a student on the left and press Enter (or click the name) to record a payment.'
              : 'Find a student on the left and press Enter (or click the name) to see their details.'}
          </p>
        </section>
      )}
    </main>
  );
}
