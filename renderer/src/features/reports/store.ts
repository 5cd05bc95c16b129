import { create } from 'zustand';
import type { AppError } from '../../../../shared/api/errors';
import type { ClassView } from '../../../../shared/domain/student-views';
import type { TermRow } from '../../../../shared/domain/terms';
import { api, toAppError } from '../../api';

export type ReportsSection = 'scores' | 'cards' | 'scales';

interface ReportsState {
  section: ReportsSection;
  classes: ClassView[] | null;
  terms: TermRow[] | null;
  error: AppError | null;
  classId: string;
  subjectId: string;
  term: string;
  go(section: ReportsSection): void;
  choose(patch: Partial<Pick<ReportsState, 'classId' | 'subjectId' | 'term'>>): void;
  /** Reads the classes (with their subjects) and terms; keeps choices that still exist. */
  load(): Promise<void>;
}

/** What the report screens are looking at: one class, subject and term, kept between sections. */
export const useReports = create<ReportsState>()((set, get) => ({
  section: 'scores',
  classes: null,
  terms: null,
  error: null,
  classId: '',
  subjectId: '',
  term: '',
  go: (section) => set({ section }),
  choose: (patch) => {
    const next = { ...get(), ...patch };
    const cls = next.classes?.find((c) => c.id === next.classId);
    const subjectId = cls?.subjects.some((s) => s.subjectId === next.subjectId) ? next.subjectId : (cls?.subjects[0]?.subjectId ?? '');
    set({ classId: next.classId, term: next.term, subjectId });
  },
  load: async () => {
    try {
      const [list, { terms, currentTermId }] = await Promise.all([api.invoke('classes.list', {}), api.invoke('terms.list', {})]);
      // Every year's classes, newest year first (classes.list gives one year at a time).
      const years = await Promise.all(list.years.map((year) => (year === list.year ? list : api.invoke('classes.list', { year }))));
      const classes = years.flatMap((y) => y.classes);
      const s = get();
      const classId = classes.some((c) => c.id === s.classId) ? s.classId : (classes[0]?.id ?? '');
      const term = terms.some((t) => t.name === s.term) ? s.term : (terms.find((t) => t.id === currentTermId)?.name ?? terms.at(-1)?.name ?? '');
      set({ classes, terms, error: null });
      get().choose({ classId, term });
    } catch (err) {
      set({ error: toAppError(err) });
    }
  },
}));
