import { useEffect } from 'react';
import { ErrorNotice } from '../../lib/ErrorNotice';
import { SectionTabs } from '../../lib/SectionTabs';
import { useCan } from '../session/store';
import { useAfterSync } from '../sync/useAfterSync';
import { GradingScalesSection } from './GradingScalesSection';
import { ReportCardsSection } from './ReportCardsSection';
import { ScoresSection } from './ScoresSection';
import { useReports, type ReportsSection } from './store';

const SECTIONS: readonly { key: ReportsSection; label: string }[] = [
  { key: 'scores', label: 'Scores' },
  { key: 'cards', label: 'Report cards' },
  { key: 'scales', label: 'Grading scales' },
];

/** Report cards: assessments and the scores grid, the class's cards, and grading scales. */
export function ReportsScreen() {
  const { section, go, load, error, classes } = useReports();
  const canManage = useCan('classes.manage');
  useEffect(() => {
    void load();
  }, [load]);
  // Classes, their subjects and terms set up on other computers (the choices made here stay).
  useAfterSync(() => void load());
  const sections = SECTIONS.filter((s) => s.key !== 'scales' || canManage);
  return (
    <main className="app-main app-main-single screen reports-screen">
      <SectionTabs label="Report card sections" tabs={sections} current={section} onGo={go} testIdPrefix="reports-" />
      {error && <ErrorNotice error={error} onRetry={() => void load()} />}
      {classes && section === 'scores' && <ScoresSection />}
      {classes && section === 'cards' && <ReportCardsSection />}
      {classes && section === 'scales' && <GradingScalesSection />}
    </main>
  );
}
