import { create } from 'zustand';
import type { Gender, StudentListItem, StudentStatus } from '../../../../shared/domain/students';
import { NO_SELECTION, toggled, type Selection } from './selection';

/** The right-hand panel's sections for whoever sees payments (others see only the profile). */
export type StudentTab = 'fees' | 'profile';

interface StudentsState {
  /** What is in the search box right now (queries use a debounced copy). */
  search: string;
  status: StudentStatus | '';
  classId: string;
  gender: Gender | '';
  /** The student opened in the right-hand panel. */
  selected: StudentListItem | null;
  /** The section of the selected student shown to whoever sees payments: their fees first (the
   * bursary's daily work) unless a screen opens the student for their profile. */
  tab: StudentTab;
  /** Students ticked for a bulk change. */
  ticked: Selection;
  /** Moves when students were saved, so the list reads them again. */
  changes: number;
  /** The new-student form is open in the right-hand panel. */
  creating: boolean;
  /** A student just put in a class: their profile offers to charge the class's fees. */
  joined: { studentId: string; className: string } | null;
  setSearch(search: string): void;
  setStatus(status: StudentStatus | ''): void;
  setClassId(classId: string): void;
  setGender(gender: Gender | ''): void;
  /** Opens a student; `tab` when the opener needs one section (a conflict about the profile). */
  select(student: StudentListItem | null, tab?: StudentTab): void;
  setTab(tab: StudentTab): void;
  tick(id: string): void;
  setTicked(sel: Selection): void;
  changed(): void;
  setCreating(creating: boolean): void;
  setJoined(joined: { studentId: string; className: string } | null): void;
  /** Forget search and selection, e.g. when someone signs out. */
  reset(): void;
}

const filtersChanged = { ticked: NO_SELECTION };

export const useStudents = create<StudentsState>()((set) => ({
  search: '',
  status: '',
  classId: '',
  gender: '',
  selected: null,
  tab: 'fees',
  ticked: NO_SELECTION,
  changes: 0,
  creating: false,
  joined: null,
  setSearch: (search) => set({ search, ...filtersChanged }),
  setStatus: (status) => set({ status, ...filtersChanged }),
  setClassId: (classId) => set({ classId, ...filtersChanged }),
  setGender: (gender) => set({ gender, ...filtersChanged }),
  select: (selected, tab) => set(tab ? { selected, tab, creating: false } : { selected, creating: false }),
  setTab: (tab) => set({ tab }),
  tick: (id) => set((s) => ({ ticked: toggled(s.ticked, id) })),
  setTicked: (ticked) => set({ ticked }),
  changed: () => set((s) => ({ changes: s.changes + 1 })),
  setCreating: (creating) => set(creating ? { creating, selected: null } : { creating }),
  setJoined: (joined) => set({ joined }),
  reset: () => set({ joined: null,  search: '', status: '', classId: '', gender: '', selected: null, tab: 'fees', ticked: NO_SELECTION, creating: false }),
}));
