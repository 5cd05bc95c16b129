import { useEffect, useState } from 'react';
import type { StudentListItem } from '../../../../shared/domain/students';
import { api } from '../../api';
import { FieldNote } from '../../lib/FieldNote';
import { useDebouncedValue } from '../../lib/useDebouncedValue';

interface Props {
  value: string;
  onChange(studentId: string): void;
  problem: string | null;
}

const name = (s: StudentListItem) => `${s.firstName} ${s.lastName} (${s.admissionNo})`;

/** The student a payment is for, and a search (name or admission number) among enrolled students for another. */
export function StudentChooser({ value, onChange, problem }: Props) {
  const [chosen, setChosen] = useState<StudentListItem | null | 'unknown'>(null);
  const [search, setSearch] = useState('');
  const [matches, setMatches] = useState<StudentListItem[]>([]);
  const query = useDebouncedValue(search.trim(), 200);

  useEffect(() => {
    let live = true;
    api
      .invoke('students.get', { id: value })
      .then((s) => live && setChosen(s))
      .catch(() => live && setChosen('unknown'));
    return () => {
      live = false;
    };
  }, [value]);

  useEffect(() => {
    if (query === '') {
      setMatches([]);
      return;
    }
    let live = true;
    api
      .invoke('students.list', { search: query, status: 'enrolled', limit: 8 })
      .then((out) => live && setMatches(out.rows.filter((s) => s.id !== value)))
      .catch(() => live && setMatches([]));
    return () => {
      live = false;
    };
  }, [query, value]);

  return (
    <div className="field">
      <span className="field-label">Student</span>
      <strong data-testid="fix-student">{chosen === null ? '…' : chosen === 'unknown' ? 'A student not on this computer' : name(chosen)}</strong>
      <input
        type="search"
        aria-label="Find another student"
        placeholder="Another student: name or admission no."
        value={search}
        autoComplete="off"
        onChange={(e) => setSearch(e.target.value)}
      />
      {matches.length > 0 && (
        <ul className="fix-student-matches" aria-label="Matching students">
          {matches.map((s) => (
            <li key={s.id}>
              <button
                type="button"
                className="row-button"
                onClick={() => {
                  onChange(s.id);
                  setSearch('');
                }}
              >
                {name(s)}
              </button>
            </li>
          ))}
        </ul>
      )}
      <FieldNote problem={problem} />
    </div>
  );
}
