import { useEffect } from 'react';
import { api } from '../../api';
import { ErrorNotice } from '../../lib/ErrorNotice';
import { ReportCardPage } from './ReportCardPrint';
import { usePrintData } from './usePrintData';

/** Every enrolled student's card of a class for a term, one per printed page. */
export function ClassReportCardsPrint({ classId, term }: { classId: string; term: string }) {
  const { data, error } = usePrintData(async () => (await api.invoke('reportCards.forClass', { classId, term })).cards, `${classId}/${term}`);
  useEffect(() => {
    if (data?.[0]) document.title = `Report cards ${data[0].className} ${term}`;
  }, [data, term]);
  if (error) return <ErrorNotice error={error} testId="report-cards-print-error" />;
  if (!data) return <p className="muted">Loading the report cards…</p>;
  if (data.length === 0) return <p className="muted">No students are enrolled in this class.</p>;
  return (
    <div className="print-batch" data-testid="class-report-cards-print">
      {data.map((card) => (
        <ReportCardPage key={card.student.id} card={card} />
      ))}
    </div>
  );
}
