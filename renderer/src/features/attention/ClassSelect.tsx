import { useEffect, useState } from 'react';
import type { ClassView } from '../../../../shared/domain/student-views';
import { api } from '../../api';

interface Props {
  label: string;
  value: string;
  onChange(classId: string): void;
  invalid: boolean;
  autoFocus: boolean;
}

/** A record's class, chosen by name among this year's classes (the one refused may have been removed). */
export function ClassSelect({ label, value, onChange, invalid, autoFocus }: Props) {
  const [classes, setClasses] = useState<ClassView[] | null>(null);
  useEffect(() => {
    let live = true;
    api
      .invoke('classes.list', {})
      .then((out) => live && setClasses(out.classes))
      .catch(() => live && setClasses([]));
    return () => {
      live = false;
    };
  }, []);
  const listed = classes?.some((c) => c.id === value) ?? false;
  return (
    <select aria-label={label} value={value} aria-invalid={invalid ? true : undefined} onChange={(e) => onChange(e.target.value)} autoFocus={autoFocus}>
      <option value="">No class</option>
      {value !== '' && !listed && <option value={value}>{classes === null ? '…' : 'The class refused (removed or not on this computer)'}</option>}
      {classes?.map((c) => (
        <option key={c.id} value={c.id}>
          {c.name}
        </option>
      ))}
    </select>
  );
}
