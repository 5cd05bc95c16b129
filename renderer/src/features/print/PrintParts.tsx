import type { ReactNode } from 'react';

/** The top of every printed page: the school, what the document is, and its particulars (dt/dd pairs). */
export function PrintHead({ school, doc, children }: { school: string; doc: string; children?: ReactNode }) {
  return (
    <header className="print-head">
      <div>
        <h1 className="print-school">{school}</h1>
        <p className="print-doc">{doc}</p>
      </div>
      <dl className="print-meta">{children}</dl>
    </header>
  );
}

interface StudentLineProps {
  name: string;
  admissionNo: string;
  className: string | null;
  /** One more thing the document says about the student, e.g. their class teacher. */
  detail?: string | null;
}

/** Who a printed page is about: name, then admission number, class and the detail on one line. */
export function PrintStudentLine({ name, admissionNo, className, detail }: StudentLineProps) {
  return (
    <p className="print-student">
      <strong>{name}</strong>
      <span>
        Admission no. {admissionNo} · {className ?? 'No class'}
        {detail && ` · ${detail}`}
      </span>
    </p>
  );
}
