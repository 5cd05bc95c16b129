import { useEffect, useMemo, useState } from 'react';
import { api } from '../../../api';
import { useCan, useUser } from '../../session/store';
import { useBursary } from '../store';

export interface StaffChoice {
  id: string;
  name: string;
}

/**
 * Who can be chosen in the "Recorded by" filter: the whole staff list for people allowed to
 * manage staff, otherwise the signed-in person and everyone seen on the ledger rows so far.
 */
export function useStaffChoices(): StaffChoice[] {
  const user = useUser();
  const canListStaff = useCan('staff.manage');
  const seen = useBursary((s) => s.staffSeen);
  const [staff, setStaff] = useState<StaffChoice[]>([]);

  useEffect(() => {
    if (!canListStaff) return;
    let current = true;
    api
      .invoke('staff.list', {})
      .then((r) => current && setStaff(r.staff.map((s) => ({ id: s.id, name: s.displayName }))))
      .catch(() => undefined); // the names seen on rows still serve
    return () => {
      current = false;
    };
  }, [canListStaff]);

  return useMemo(() => {
    const byId = new Map<string, string>(seen);
    for (const s of staff) byId.set(s.id, s.name);
    if (user) byId.set(user.id, user.displayName);
    return [...byId].map(([id, name]) => ({ id, name })).sort((a, b) => a.name.localeCompare(b.name, 'en', { sensitivity: 'base' }));
  }, [seen, staff, user]);
}
