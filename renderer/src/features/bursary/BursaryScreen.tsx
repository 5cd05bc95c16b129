import { SectionTabs } from '../../lib/SectionTabs';
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
      <SectionTabs label="Bursary sections" tabs={SECTIONS} current={current} onGo={go} testIdPrefix="bursary-" />
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
