import { useState } from 'react';
import { AssessmentsPanel } from './AssessmentsPanel';
import { Picker } from './Picker';
import { ScoresGridTable } from './ScoresGridTable';
import { useReports } from './store';

/** One class's marks in one subject and term: its assessments, then the grid. */
export function ScoresSection() {
  const { classId, subjectId, term } = useReports();
  // Bumped when the assessments change, so the grid reads its columns again.
  const [version, setVersion] = useState(0);
  const ready = classId !== '' && subjectId !== '' && term !== '';
  return (
    <section className="screen-panel" aria-labelledby="scores-title">
      <div className="screen-head">
        <h2 id="scores-title">Scores</h2>
      </div>
      <Picker withSubject />
      {!ready && <p className="muted">Choose a class, a subject and a term. Classes and their subjects are set up under Classes.</p>}
      {ready && (
        <>
          <AssessmentsPanel key={`${classId}:${subjectId}:${term}`} classId={classId} subjectId={subjectId} term={term} onChanged={() => setVersion((v) => v + 1)} />
          <ScoresGridTable key={`${classId}:${subjectId}:${term}:${version}`} classId={classId} subjectId={subjectId} term={term} />
        </>
      )}
    </section>
  );
}
