import { useId } from 'react';
import { useReports } from './store';

/** Which class, term (and subject, for scores) the section shows. */
export function Picker({ withSubject }: { withSubject: boolean }) {
  const { classes, terms, classId, subjectId, term, choose } = useReports();
  const id = useId();
  const cls = classes?.find((c) => c.id === classId);
  return (
    <div className="form-row report-picker">
      <label className="field" htmlFor={`${id}-class`}>
        <span className="field-label">Class</span>
        <select id={`${id}-class`} value={classId} onChange={(e) => choose({ classId: e.target.value })}>
          {classes?.length === 0 && <option value="">No classes yet</option>}
          {classes?.map((c) => (
            <option key={c.id} value={c.id}>
              {c.name} ({c.values.academic_year})
            </option>
          ))}
        </select>
      </label>
      {withSubject && (
        <label className="field" htmlFor={`${id}-subject`}>
          <span className="field-label">Subject</span>
          <select id={`${id}-subject`} value={subjectId} onChange={(e) => choose({ subjectId: e.target.value })}>
            {cls?.subjects.length === 0 && <option value="">No subjects in this class</option>}
            {cls?.subjects.map((s) => (
              <option key={s.subjectId} value={s.subjectId}>
                {s.subjectName}
                {s.compulsory ? '' : ' (optional)'}
              </option>
            ))}
          </select>
        </label>
      )}
      <label className="field" htmlFor={`${id}-term`}>
        <span className="field-label">Term</span>
        <select id={`${id}-term`} value={term} onChange={(e) => choose({ term: e.target.value })}>
          {terms?.length === 0 && <option value="">No terms yet</option>}
          {terms?.map((t) => (
            <option key={t.id} value={t.name}>
              {t.name}
            </option>
          ))}
        </select>
      </label>
    </div>
  );
}
