import { useRef, type KeyboardEvent } from 'react';
import { ArrearsSection } from './lists/ArrearsSection';
import { ChargesSection } from './lists/ChargesSection';
import { PaymentsSection } from './lists/PaymentsSection';
import { CashUpSection } from './cashup/CashUpSection';
import { DashboardSection } from './dashboard/DashboardSection';
import { ExpensesSection } from './expenses/ExpensesSection';
import { StructuresSection } from './structures/StructuresSection';
import { useBursary, type BursarySection } from './store';

const SECTIONS: readonly { key: BursarySection; label: string }[] = [
  { key: 'dashboard', label: 'Dashboard' },
  { key: 'payments', label: 'Payments' },
  { key: 'charges', label: 'Charges' },
  { key: 'arrears', label: 'Arrears' },
  { key: 'expenses', label: 'Expenses' },
  { key: 'cashup', label: 'Cash-up' },
  { key: 'structures', label: 'Fee structures' },
];

/** The bursary: the dashboard, the ledger lists, expenses, the day's cash-up and fee structures. */
/** Every section needs only payments.view, as the tab does; within them, each control shows only
 * for the permission its action needs (Cash-up shows past days to those who cannot close one). */
export function BursaryScreen() {
  const current = useBursary((s) => s.section);
  const go = useBursary((s) => s.go);
  return (
    <main className="app-main app-main-single screen bursary-screen">
      <SectionNav current={current} onGo={go} />
      <Section section={current} />
    </main>
  );
}

function Section({ section }: { section: BursarySection }) {
  switch (section) {
    case 'dashboard':
      return <DashboardSection />;
    case 'payments':
      return <PaymentsSection />;
    case 'charges':
      return <ChargesSection />;
    case 'arrears':
      return <ArrearsSection />;
    case 'expenses':
      return <ExpensesSection />;
    case 'cashup':
      return <CashUpSection />;
    case 'structures':
      return <StructuresSection />;
  }
}

/** The bursary's sections as a row of buttons; arrows move along them like the main tabs. */
function SectionNav({ current, onGo }: { current: BursarySection; onGo(s: BursarySection): void }) {
  const sections = SECTIONS;
  const refs = useRef<(HTMLButtonElement | null)[]>([]);
  const onKeyDown = (e: KeyboardEvent<HTMLButtonElement>, index: number) => {
    const to = e.key === 'ArrowRight' ? (index + 1) % sections.length : e.key === 'ArrowLeft' ? (index - 1 + sections.length) % sections.length : -1;
    if (to < 0) return;
    e.preventDefault();
    refs.current[to]?.focus();
    onGo(sections[to]!.key);
  };
  return (
    <nav className="section-nav" aria-label="Bursary sections">
      {sections.map((s, i) => (
        <button
          key={s.key}
          ref={(el) => {
            refs.current[i] = el;
          }}
          type="button"
          className={`section-tab${s.key === current ? ' is-current' : ''}`}
          aria-current={s.key === current ? 'page' : undefined}
          data-testid={`bursary-${s.key}`}
          onClick={() => onGo(s.key)}
          onKeyDown={(e) => onKeyDown(e, i)}
        >
          {s.label}
        </button>
      ))}
    </nav>
  );
}
