import { useEffect, useState } from 'react';
import type { AppError } from '../../../../shared/api/errors';
import type { ClassChoice } from '../../../../shared/domain/attendance-views';
import { api, toAppError } from '../../api';
import { ErrorNotice } from '../../lib/ErrorNotice';
import { useCan } from '../session/store';
import { useAfterSync } from '../sync/useAfterSync';
import { HistorySection } from './HistorySection';
import { RatesSection } from './RatesSection';
import { RegisterSection } from './RegisterSection';
import './attendance.css';

/** Attendance: a class's register, a student's history (from a name in the register) and the class's weekly rate. */
export function AttendanceScreen() {
  const [choices, setChoices] = useState<{ classes: ClassChoice[]; today: string } | null>(null);
  const [error, setError] = useState<AppError | null>(null);
  const [classId, setClassId] = useState('');
  const [studentId, setStudentId] = useState<string | null>(null);
  const [saves, setSaves] = useState(0);
  /** Moves with each sync: the classes' enrolment and the weekly rates are read again. */
  const [synced, setSynced] = useState(0);
  const canView = useCan('students.view');
  useAfterSync(() => setSynced((n) => n + 1));

  useEffect(() => {
    api
      .invoke('attendance.classes', {})
      .then((c) => {
        setChoices(c);
        setError(null);
        setClassId((id) => id || c.classes[0]?.id || '');
      })
      .catch((err) => setError(toAppError(err)));
  }, [synced]);

  return (
    <main className="app-main app-main-single screen attendance-screen">
      {error && <ErrorNotice error={error} testId="attendance-error" />}
      {choices && (
        <>
          <RegisterSection classes={choices.classes} today={choices.today} classId={classId} onClassChange={setClassId} onOpenStudent={(id) => setStudentId(canView ? id : null)} onSaved={() => setSaves((n) => n + 1)} />
          {studentId && <HistorySection key={`${studentId}-${saves}`} studentId={studentId} onClose={() => setStudentId(null)} />}
          {canView && classId && <RatesSection classId={classId} today={choices.today} version={`${saves}/${synced}`} />}
        </>
      )}
    </main>
  );
}
