import { SectionTabs } from '../../lib/SectionTabs';
import { StudentPanel } from '../payments/StudentPanel';
import { useCan } from '../session/store';
import { useClasses } from '../classes/useClasses';
import { StudentsList } from './StudentsList';
import { ProfileTab } from './ProfileTab';
import { StudentForm } from './StudentForm';
import { emptyDraft } from './studentDraft';
import { useStudents } from './store';
import './students.css';

const TABS = [
  { key: 'fees', label: 'Fees' },
  { key: 'profile', label: 'Profile' },
] as const;

/** The students list on the left; the chosen student (profile, and fees for the bursary) or a new student on the right. */
export function StudentsScreen({ currency }: { currency: string }) {
  const selected = useStudents((s) => s.selected);
  const creating = useStudents((s) => s.creating);
  const changes = useStudents((s) => s.changes);
  const canRecord = useCan('payments.record');
  const canSeeFees = useCan('payments.view');
  const { list } = useClasses(undefined, changes);
  const classes = list?.classes ?? [];
  const tab = useStudents((s) => s.tab);
  const setTab = useStudents((s) => s.setTab);
  const shown = canSeeFees ? tab : 'profile';

  return (
    <main className="app-main">
      <StudentsList />
      {creating ? (
        <NewStudent classes={classes} />
      ) : selected ? (
        <div className="student-details">
          {canSeeFees && (
            <SectionTabs label="Student sections" tabs={TABS} current={shown} onGo={setTab} testIdPrefix="student-tab-" />
          )}
          {shown === 'fees' ? <StudentPanel key={selected.id} student={selected} currency={currency} /> : <ProfileTab key={selected.id} student={selected} classes={classes} />}
        </div>
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

function NewStudent({ classes }: { classes: Parameters<typeof StudentForm>[0]['classes'] }) {
  const setCreating = useStudents((s) => s.setCreating);
  const select = useStudents((s) => s.select);
  const changed = useStudents((s) => s.changed);
  const setJoined = useStudents((s) => s.setJoined);
  const classId = useStudents((s) => s.classId);
  return (
    <section className="student-panel" aria-labelledby="new-student-title">
      <h2 id="new-student-title">New student</h2>
      <StudentForm
        initial={emptyDraft(classId)}
        classes={classes}
        readOnly={false}
        onCancel={() => setCreating(false)}
        onSaved={(p) => {
          if (p.className) setJoined({ studentId: p.id, className: p.className });
          changed();
          select({ id: p.id, admissionNo: p.values.admission_no, firstName: p.values.first_name, lastName: p.values.last_name, className: p.className, status: p.values.status, guardianPhone: p.guardianPhone });
        }}
      />
    </section>
  );
}
