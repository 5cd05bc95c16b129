import { create } from 'zustand';
import type { StudentListItem, StudentStatus } from '../../../../shared/domain/students';

interface StudentsState {
  /** What is in the search box right now (queries use a debounced copy). */
  search: string;
  status: StudentStatus | '';
  /** The student opened in the right-hand panel. */
  selected: StudentListItem | null;
  setSearch(search: string): void;
  setStatus(status: StudentStatus | ''): void;
  select(student: StudentListItem | null): void;
  /** Forget search and selection, e.g. when someone signs out. */
  reset(): void;
}

export const useStudents = create<StudentsState>()((set) => ({
  search: '',
  status: '',
  selected: null,
  setSearch: (search) => set({ search }),
  setStatus: (status) => set({ status }),
  select: (selected) => set({ selected }),
  reset: () => set({ search: '', status: '', selected: null }),
}));
