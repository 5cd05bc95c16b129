import { useCallback, useEffect, useRef, useState } from 'react';
import type { Statement } from '../../../../shared/domain/fees';
import type { PaymentView } from '../../../../shared/domain/payments';
import type { AppError } from '../../../../shared/api/errors';
import { api, toAppError } from '../../api';
import { useSync } from '../sync/store';

/**
 * A student's statement (charges and payments, oldest first, with the running balance), plus
 * their payments by id for the receipt numbers and methods. Reloaded after each change made
 * here and whenever sync moves on (that is when "pending sync" badges and other computers'
 * entries change).
 */
export function useStatement(studentId: string, enabled: boolean) {
  const [statement, setStatement] = useState<Statement | null>(null);
  const [payments, setPayments] = useState<ReadonlyMap<string, PaymentView>>(new Map());
  const [error, setError] = useState<AppError | null>(null);
  const latest = useRef(0);
  const pending = useSync((s) => s.status?.pending);
  const lastSyncAt = useSync((s) => s.status?.lastSyncAt);

  const reload = useCallback(async () => {
    if (!enabled) return;
    const call = ++latest.current;
    const [st, pay] = await Promise.allSettled([
      api.invoke('students.statement', { studentId }),
      api.invoke('payments.listForStudent', { studentId }),
    ]);
    if (call !== latest.current) return;
    // The payments only add receipt numbers and methods: the statement can do without them.
    if (pay.status === 'fulfilled') setPayments(new Map(pay.value.rows.map((p) => [p.id, p])));
    if (st.status === 'fulfilled') {
      setStatement(st.value);
      setError(null);
    } else {
      setError(toAppError(st.reason));
    }
  }, [studentId, enabled]);

  useEffect(() => {
    void reload();
  }, [reload, pending, lastSyncAt]);

  return { statement, payments, error, reload };
}
