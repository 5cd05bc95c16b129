import { useState } from 'react';
import { DataTable } from '../../lib/DataTable';
import { ErrorNotice } from '../../lib/ErrorNotice';
import { ScreenPanel } from '../../lib/ScreenPanel';
import { SectionTabs } from '../../lib/SectionTabs';
import { saveTextFile } from '../../lib/download';
import { todayIsoDate } from '../../lib/time';
import { exportFilename } from '../bursary/lists/exportRows';
import { useCan } from '../session/store';
import { useAfterSync } from '../sync/useAfterSync';
import { ClassDialog } from './ClassDialog';
import { ClassPanel } from './ClassPanel';
import { SubjectsTab } from './SubjectsTab';
import { classesCsv } from './classDraft';
import { useClasses } from './useClasses';
import '../students/students.css';

const TABS = [
  { key: 'classes', label: 'Classes' },
  { key: 'subjects', label: 'Subjects' },
] as const;

/** Classes by academic year (with teachers and enrolled counts) and the school's subjects. */
export function ClassesScreen() {
  const [tab, setTab] = useState<'classes' | 'subjects'>('classes');
  return (
    <main className="app-main app-main-single screen">
      <ScreenPanel titleId="classes-title" title="Classes and subjects">
        <SectionTabs label="Classes sections" tabs={TABS} current={tab} onGo={setTab} testIdPrefix="classes-tab-" />
        {tab === 'classes' ? <ClassesTab /> : <SubjectsTab />}
      </ScreenPanel>
    </main>
  );
}

function ClassesTab() {
  const canManage = useCan('classes.manage');
  const [year, setYear] = useState<number | undefined>(undefined);
  const [changes, setChanges] = useState(0);
  const [openId, setOpenId] = useState<string | null>(null);
  const [creating, setCreating] = useState(false);
  const { list, error } = useClasses(year, changes);
  const shownYear = list?.year ?? Number(todayIsoDate().slice(0, 4));
  const changed = () => setChanges((c) => c + 1);
  // Teachers and enrolled counts change on other computers too.
  useAfterSync(changed);

  return (
    <>
      <div className="screen-head-actions">
        <label>
          Academic year{' '}
          <select value={list?.year ?? ''} onChange={(e) => setYear(Number(e.target.value))} data-testid="classes-year">
            {(list?.years.length ? list.years : [shownYear]).map((y) => (
              <option key={y} value={y}>
                {y}
              </option>
            ))}
          </select>
        </label>
        {canManage && (
          <button type="button" className="primary" onClick={() => setCreating(true)} data-testid="class-new">
            New class
          </button>
        )}
        <button type="button" disabled={!list?.classes.length} onClick={() => list && saveTextFile(exportFilename(`classes-${shownYear}`, todayIsoDate()), classesCsv(list.classes))}>
          Export CSV
        </button>
      </div>
      {error && <ErrorNotice error={error} />}
      {list && list.classes.length === 0 && <p className="muted">No classes yet{canManage ? ': create the first with New class.' : '.'}</p>}
      {list && list.classes.length > 0 && (
        <DataTable columns={[{ label: 'Class' }, { label: 'Level', num: true }, { label: 'Class teacher' }, { label: 'Enrolled', num: true }]} testId="classes-table">
          <tbody>
            {list.classes.map((c) => (
              <tr key={c.id} className={c.id === openId ? 'is-selected' : undefined}>
                <td>
                  <button type="button" className="link-button" onClick={() => setOpenId(c.id)} data-testid="class-open">
                    {c.name}
                  </button>
                </td>
                <td className="num">{c.values.level}</td>
                <td>{c.teacherName ?? '—'}</td>
                <td className="num">{c.enrolled}</td>
              </tr>
            ))}
          </tbody>
        </DataTable>
      )}
      {openId && <ClassPanel key={openId} classId={openId} onChanged={changed} />}
      {creating && (
        <ClassDialog
          year={shownYear}
          onClose={() => setCreating(false)}
          onSaved={(c) => {
            setCreating(false);
            setYear(c.values.academic_year);
            setOpenId(c.id);
            changed();
          }}
        />
      )}
    </>
  );
}
