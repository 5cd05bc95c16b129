import { useEffect, useState } from 'react';
import type { AppError } from '../../../../shared/api/errors';
import type { ReportCard } from '../../../../shared/domain/report-views';
import { api, toAppError } from '../../api';
import { DataTable, type TableColumn } from '../../lib/DataTable';
import { ErrorNotice } from '../../lib/ErrorNotice';
import { saveTextFile } from '../../lib/download';
import { openPrint } from '../print/route';
import { CommentsForm } from './CommentsForm';
import { Picker } from './Picker';
import { useReports } from './store';
import { useAfterSync } from '../sync/useAfterSync';

const COLUMNS: readonly TableColumn[] = [{ label: 'Position', num: true }, { label: 'Student' }, { label: 'Subjects', num: true }, { label: 'Average %', num: true }, { label: 'Grade' }, { label: 'Actions', hidden: true }];

/** The class's report cards for a term: standings, comments, printing one or all, and the results as CSV. */
export function ReportCardsSection() {
  const { classId, term } = useReports();
  const [cards, setCards] = useState<ReportCard[] | null>(null);
  const [error, setError] = useState<AppError | null>(null);
  const [commenting, setCommenting] = useState<string | null>(null);

  async function load() {
    if (!classId || !term) return;
    try {
      setCards((await api.invoke('reportCards.forClass', { classId, term })).cards);
      setError(null);
    } catch (err) {
      setError(toAppError(err));
    }
  }
  useEffect(() => {
    setCards(null);
    void load();
  }, [classId, term]);
  // Marks and comments from other computers; comments being written keep what was typed.
  useAfterSync(() => void load());

  async function exportCsv() {
    try {
      const { filename, csv } = await api.invoke('reportCards.exportCsv', { classId, term });
      saveTextFile(filename, csv);
    } catch (err) {
      setError(toAppError(err));
    }
  }

  const ranked = cards ? [...cards].sort((a, b) => (a.overall.position ?? Infinity) - (b.overall.position ?? Infinity) || a.student.name.localeCompare(b.student.name)) : [];
  return (
    <section className="screen-panel" aria-labelledby="cards-title">
      <div className="screen-head">
        <h2 id="cards-title">Report cards</h2>
        {cards && cards.length > 0 && (
          <div className="screen-head-actions">
            <button type="button" onClick={() => void exportCsv()} data-testid="export-results">
              Export results (CSV)
            </button>
            <button type="button" className="primary" onClick={() => openPrint({ kind: 'class-report-cards', classId, term })} data-testid="print-class-cards">
              Print all cards
            </button>
          </div>
        )}
      </div>
      <Picker withSubject={false} />
      {error && <ErrorNotice error={error} onRetry={() => void load()} />}
      {cards && cards.length === 0 && <p className="muted">No students are enrolled in this class.</p>}
      {cards && cards.length > 0 && (
        <DataTable columns={COLUMNS} testId="report-cards">
          <tbody>
            {ranked.map((c) => (
              <Row key={c.student.id} card={c} commenting={commenting === c.student.id} onComment={() => setCommenting(commenting === c.student.id ? null : c.student.id)} onSaved={() => void load()} />
            ))}
          </tbody>
        </DataTable>
      )}
    </section>
  );
}

function Row({ card, commenting, onComment, onSaved }: { card: ReportCard; commenting: boolean; onComment(): void; onSaved(): void }) {
  const o = card.overall;
  return (
    <>
      <tr data-testid="report-card-row">
        <td className="num">{o.position === null ? '–' : `${o.position} of ${o.outOf}`}</td>
        <td>
          {card.student.name} <span className="muted">{card.student.admissionNo}</span>
        </td>
        <td className="num">{o.subjects}</td>
        <td className="num">{o.average ?? '–'}</td>
        <td>{o.grade ?? '–'}</td>
        <td className="row-actions">
          <button type="button" onClick={onComment} aria-expanded={commenting}>
            Comments
          </button>
          <button type="button" onClick={() => openPrint({ kind: 'report-card', studentId: card.student.id, term: card.term })} aria-label={`Report card for ${card.student.name}`}>
            Report card
          </button>
        </td>
      </tr>
      {commenting && (
        <tr>
          <td colSpan={6}>
            <CommentsForm card={card} onSaved={onSaved} />
          </td>
        </tr>
      )}
    </>
  );
}
