import { useEffect } from 'react';
import type { ReportCard } from '../../../../shared/domain/report-views';
import { api } from '../../api';
import { ErrorNotice } from '../../lib/ErrorNotice';
import { formatDate } from '../../lib/time';
import { PrintHead, PrintStudentLine } from './PrintParts';
import { usePrintData } from './usePrintData';

/** One student's report card for a term, on A4. */
export function ReportCardPrint({ studentId, term }: { studentId: string; term: string }) {
  const { data, error } = usePrintData(() => api.invoke('reportCards.get', { studentId, term }), `${studentId}/${term}`);
  useEffect(() => {
    if (data) document.title = `Report card ${data.student.admissionNo} ${data.student.name} ${data.term}`;
  }, [data]);
  if (error) return <ErrorNotice error={error} testId="report-card-print-error" />;
  if (!data) return <p className="muted">Loading the report card…</p>;
  return <ReportCardPage card={data} />;
}

const mark = (n: number | null) => (n === null ? '–' : String(n));
/** Every subject lists its assessments in one order ("CAT 1", "CAT 2", "End of term"). */
const byName = (a: { name: string }, b: { name: string }) => a.name.localeCompare(b.name, 'en', { numeric: true });
const percent = (n: number | null) => (n === null ? '–' : n.toFixed(1));

/** The printed card: subjects with their marks, overall standing, attendance and comments. */
export function ReportCardPage({ card }: { card: ReportCard }) {
  const o = card.overall;
  return (
    <article className="print-page print-report-card" data-testid="report-card-print" aria-label={`Report card for ${card.student.name}`}>
      <PrintHead school={card.schoolName} doc={`Report card · ${card.term}`}>
        {card.termStarts && card.termEnds && (
          <div>
            <dt>Term</dt>
            <dd>
              {formatDate(card.termStarts)} – {formatDate(card.termEnds)}
            </dd>
          </div>
        )}
      </PrintHead>

      <section className="print-section">
        <PrintStudentLine name={card.student.name} admissionNo={card.student.admissionNo} className={card.className} detail={card.classTeacher && `Class teacher ${card.classTeacher}`} />
      </section>

      <table className="print-table print-entries report-subjects">
        <thead>
          <tr>
            <th scope="col">Subject</th>
            <th scope="col">Marks</th>
            <th scope="col" className="num">
              %
            </th>
            <th scope="col">Grade</th>
            <th scope="col">Remark</th>
            <th scope="col" className="num">
              Position
            </th>
          </tr>
        </thead>
        <tbody>
          {card.subjects.map((s) => (
            <tr key={s.subjectId} data-testid="report-card-subject">
              <td>{s.name}</td>
              <td className="report-marks">
                {s.assessments.length === 0
                  ? '–'
                  : [...s.assessments].sort(byName).map((a) => (
                      <span key={a.name} className="print-sub">
                        {a.name}: {a.score === null ? 'not sat' : `${mark(a.score)}/${a.maxScore}`} ({a.weight}%)
                      </span>
                    ))}
              </td>
              <td className="num">{percent(s.percent)}</td>
              <td>{s.grade ?? '–'}</td>
              <td>{s.remark ?? ''}</td>
              <td className="num">{s.position === null ? '–' : `${s.position} of ${s.outOf}`}</td>
            </tr>
          ))}
          {card.subjects.length === 0 && (
            <tr>
              <td colSpan={6} className="muted">
                No subjects yet.
              </td>
            </tr>
          )}
        </tbody>
        <tfoot>
          <tr data-testid="report-card-overall">
            <th scope="row">Overall</th>
            <td>
              Total {o.total} in {o.subjects} {o.subjects === 1 ? 'subject' : 'subjects'}
            </td>
            <td className="num">{percent(o.average)}</td>
            <td>{o.grade ?? '–'}</td>
            <td>{o.remark ?? ''}</td>
            <td className="num">{o.position === null ? '–' : `${o.position} of ${o.outOf}`}</td>
          </tr>
        </tfoot>
      </table>

      <section className="print-section report-attendance">
        <p className="print-label">Attendance this term (days)</p>
        <p>
          Present {card.attendance.present} · Absent {card.attendance.absent} · Late {card.attendance.late}
          {card.attendance.excused > 0 && ` · Excused ${card.attendance.excused}`}
        </p>
      </section>

      <section className="print-section report-comments">
        <p className="print-label">Class teacher's comment</p>
        <p className="report-comment">{card.comments.classTeacher || ' '}</p>
        <p className="print-label">Head teacher's comment</p>
        <p className="report-comment">{card.comments.headTeacher || ' '}</p>
      </section>

      <section className="print-section report-signatures" aria-label="Signatures">
        {['Class teacher', 'Head teacher', 'Parent or guardian'].map((who) => (
          <div key={who} className="report-signature">
            <span className="report-sign-line" />
            <span>{who}</span>
            <span className="report-sign-date">Date</span>
          </div>
        ))}
      </section>

      <footer className="print-foot">
        <span>
          {card.scaleName ? `Grades: ${card.scaleName}.` : ''} Percentages weigh each assessment sat; "not sat" does not count.
          {card.notes.map((n) => ` ${n}`)}
        </span>
        <span>{card.schoolName}</span>
      </footer>
    </article>
  );
}
