import { useEffect } from 'react';
import { closePrint, type PrintRoute } from './route';
import { ReceiptPrint } from './ReceiptPrint';
import { StatementPrint } from './StatementPrint';
import { ReportCardPrint } from './ReportCardPrint';
import { ClassReportCardsPrint } from './ClassReportCardsPrint';

const TITLES: Record<PrintRoute['kind'], string> = { receipt: 'Receipt', statement: 'Statement', 'report-card': 'Report card', 'class-report-cards': 'Report cards' };

function PrintView({ route }: { route: PrintRoute }) {
  switch (route.kind) {
    case 'receipt':
      return <ReceiptPrint paymentId={route.paymentId} />;
    case 'statement':
      return <StatementPrint studentId={route.studentId} />;
    case 'report-card':
      return <ReportCardPrint studentId={route.studentId} term={route.term} />;
    case 'class-report-cards':
      return <ClassReportCardsPrint classId={route.classId} term={route.term} />;
  }
}

/**
 * A receipt or statement laid out as the printed page, with "Print / Save as PDF" (Chromium's
 * print dialog, in Electron and the browser alike) and Back. Print CSS hides everything else.
 */
export function PrintScreen({ route }: { route: PrintRoute }) {
  const title = TITLES[route.kind];

  // The document title is the file name Chromium suggests when saving as PDF.
  useEffect(() => {
    const before = document.title;
    return () => {
      document.title = before;
    };
  }, []);

  return (
    <main className="app-main app-main-single print-screen" aria-label={`${title} to print`}>
      <div className="print-toolbar">
        <button type="button" onClick={closePrint} data-testid="print-back">
          Back
        </button>
        <button type="button" className="primary" onClick={() => window.print()} data-testid="print-button" autoFocus>
          Print / Save as PDF
        </button>
        <span className="muted">To keep a PDF, choose "Save as PDF" as the printer.</span>
      </div>
      <PrintView route={route} />
    </main>
  );
}
