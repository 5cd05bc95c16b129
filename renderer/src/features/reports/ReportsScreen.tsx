import { useEffect } from 'react';
import { ErrorNotice } from '../../lib/ErrorNotice';
import { useCan } from '../session/store';
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
  const sections = SECTIONS.filter((s) => s.key !== 'scales' || canManage);
  return (
    <main className="app-main app-main-single screen reports-screen">
      <nav className="section-nav" aria-label="Report card sections">
        {sections.map((s) => (
          <button
            key={s.key}
            type="button"
            className={`section-tab${s.key === section ? ' is-current' : ''}`}
            aria-current={s.key === section ? 'page' : undefined}
            data-testid={`reports-${s.key}`}
            onClick={() => go(s.key)}
          >
            {s.label}
          </button>
        ))}
      </nav>
      {error && <ErrorNotice error={error} onRetry={() => void load()} />}
      {classes && section === 'scores' && <ScoresSection />}
      {classes && section === 'cards' && <ReportCardsSection />}
      {classes && section === 'scales' && <GradingScalesSection />}
    </main>
  );
}
