import { useEffect, useState } from 'react';
import type { StaffDirectoryEntry } from '../../../../shared/domain/student-views';
import { api } from '../../api';

/** Active staff for the teacher pickers (empty until read; a failed read leaves it empty). */
export function useStaffDirectory(): StaffDirectoryEntry[] {
  const [staff, setStaff] = useState<StaffDirectoryEntry[]>([]);
  useEffect(() => {
    let current = true;
    api
      .invoke('staff.directory', {})
      .then((r) => current && setStaff(r.staff))
      .catch(() => undefined);
    return () => {
      current = false;
    };
  }, []);
  return staff;
}
