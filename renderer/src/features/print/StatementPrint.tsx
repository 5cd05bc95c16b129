import { useEffect } from 'react';
import type { Statement } from '../../../../shared/domain/fees';
import type { StudentListItem } from '../../../../shared/domain/students';
import { formatMinor } from '../../../../shared/money';
import { api } from '../../api';
import { ErrorNotice } from '../../lib/ErrorNotice';
import { formatDateTime, formatDay } from '../../lib/time';
import { ArrearsByAge } from '../fees/ArrearsByAge';
import { balanceText } from '../fees/StatementTable';
import { useSession } from '../session/store';
import { PrintHead, PrintStudentLine } from './PrintParts';
import { usePrintData } from './usePrintData';

interface StatementData {
  student: StudentListItem;
  statement: Statement;
  receipts: ReadonlyMap<string, string>;
}

async function loadStatement(studentId: string): Promise<StatementData> {
  const [student, statement, payments] = await Promise.all([
    api.invoke('students.get', { id: studentId }),
    api.invoke('students.statement', { studentId }),
    api.invoke('payments.listForStudent', { studentId }),
  ]);
  return { student, statement, receipts: new Map(payments.rows.map((p) => [p.id, p.receiptNo])) };
}

/** An A4 statement of account: every entry with the running balance, the credit, and arrears by age. */
export function StatementPrint({ studentId }: { studentId: string }) {
  const { data, error } = usePrintData(() => loadStatement(studentId), studentId);
  const schoolName = useSession((s) => s.info?.schoolName ?? '');

  useEffect(() => {
    if (data) document.title = `Statement ${data.student.admissionNo} ${data.student.lastName}`;
  }, [data]);

  if (error) return <ErrorNotice error={error} testId="statement-print-error" />;
  if (!data) return <p className="muted">Loading the statement…</p>;
  return <StatementPage schoolName={schoolName} {...data} />;
}

function StatementPage({ schoolName, student, statement, receipts }: StatementData & { schoolName: string }) {
  const money = (minor: number) => (minor === 0 ? '' : formatMinor(minor, statement.currency));
  const printedAt = new Date().toISOString();
  return (
    <article className="print-page print-statement" data-testid="statement-print" aria-label={`Statement for ${student.firstName} ${student.lastName}`}>
      <PrintHead school={schoolName} doc="Statement of account">
        <div>
          <dt>Printed</dt>
          <dd>{formatDateTime(printedAt)}</dd>
        </div>
      </PrintHead>

      <section className="print-section">
        <PrintStudentLine
          name={`${student.firstName} ${student.lastName}`}
          admissionNo={student.admissionNo}
          className={student.className}
          detail={student.guardianPhone && `Guardian ${student.guardianPhone}`}
        />
      </section>

      <table className="print-table print-entries">
        <thead>
          <tr>
            <th scope="col">Date</th>
            <th scope="col">Entry</th>
            <th scope="col" className="num">
              Charged
            </th>
            <th scope="col" className="num">
              Paid / credited
            </th>
            <th scope="col" className="num">
              Balance
            </th>
          </tr>
        </thead>
        <tbody>
          {statement.entries.map((e) => (
            <tr key={`${e.kind}:${e.id}`} className={e.voided ? 'is-voided' : undefined} data-testid="statement-print-row">
              <td className="nowrap">{formatDay(e.date)}</td>
              <td>
                {e.description}
                {e.kind === 'payment' && receipts.get(e.id) && !e.description.includes(receipts.get(e.id)!) && <span className="print-sub">Receipt {receipts.get(e.id)}</span>}
                {e.voided && <span className="print-sub">Voided{e.voidReason ? `: ${e.voidReason}` : ''}; not counted</span>}
              </td>
              <td className="num">{money(e.debitMinor)}</td>
              <td className="num">{money(e.creditMinor)}</td>
              <td className="num">{e.balanceMinor < 0 ? `${formatMinor(-e.balanceMinor, statement.currency)} CR` : formatMinor(e.balanceMinor, statement.currency)}</td>
            </tr>
          ))}
          {statement.entries.length === 0 && (
            <tr>
              <td colSpan={5} className="muted">
                Nothing charged or paid yet.
              </td>
            </tr>
          )}
        </tbody>
      </table>

      <p className="print-balance" data-testid="statement-print-balance">
        Balance: <strong>{balanceText(statement.balanceMinor, statement.currency)}</strong>
      </p>
      <ArrearsByAge statement={statement} />
      <footer className="print-foot">
        <span>"CR" marks a balance in the family's favour.</span>
        <span>{schoolName}</span>
      </footer>
    </article>
  );
}
