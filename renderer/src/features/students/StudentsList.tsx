import { memo, useEffect, useRef, type KeyboardEvent } from 'react';
import { GENDERS, STUDENT_STATUSES, type Gender, type StudentListItem, type StudentStatus } from '../../../../shared/domain/students';
import { useDebouncedValue } from '../../lib/useDebouncedValue';
import { useVirtualRows } from '../../lib/useVirtualRows';
import { useStudents } from './store';
import { useCan } from '../session/store';
import { PAGE_SIZE, useStudentPages } from './useStudentPages';
import { useClasses } from '../classes/useClasses';
import { isTicked } from './selection';
import { BulkBar } from './BulkBar';
import { countText, GENDER_LABEL } from './labels';
import { StudentFileActions } from './import/StudentFileActions';

const ROW_HEIGHT = 64;
const SEARCH_DEBOUNCE_MS = 150;

const STATUS_LABEL: Record<StudentStatus, string> = {
  enrolled: 'Enrolled',
  withdrawn: 'Withdrawn',
  graduated: 'Graduated',
};

export function StudentsList() {
  const search = useStudents((s) => s.search);
  const status = useStudents((s) => s.status);
  const selectedId = useStudents((s) => s.selected?.id ?? null);
  const setSearch = useStudents((s) => s.setSearch);
  const setStatus = useStudents((s) => s.setStatus);
  const select = useStudents((s) => s.select);
  const classId = useStudents((s) => s.classId);
  const gender = useStudents((s) => s.gender);
  const setClassId = useStudents((s) => s.setClassId);
  const setGender = useStudents((s) => s.setGender);
  const ticked = useStudents((s) => s.ticked);
  const tick = useStudents((s) => s.tick);
  const setTicked = useStudents((s) => s.setTicked);
  const changes = useStudents((s) => s.changes);
  const setCreating = useStudents((s) => s.setCreating);
  const canEdit = useCan('students.update');
  const { list: classes } = useClasses(undefined, changes);

  const debouncedSearch = useDebouncedValue(search, SEARCH_DEBOUNCE_MS);
  const { rows, done, loaded, version, error, total, all, loadMore, filter } = useStudentPages({ search: debouncedSearch, status, classId, gender, changes });

  const { scrollRef, virtualizer, items, active, setActive, moveTo, targetOf, reset } = useVirtualRows(
    // A page ahead: a fast scroll (a flung list, a dragged scrollbar) then finds its rows loaded
    // instead of a loader row (measured in tests/bench/chromium-scroll.ts).
    { rowCount: rows.length, more: !done && !error, version, loadMore, prefetchRows: PAGE_SIZE },
    ROW_HEIGHT,
  );
  /** Enter was pressed in the search box before the results for what was typed had arrived. */
  const pendingEnter = useRef(false);

  // New query: forget the keyboard position and go back to the top.
  useEffect(reset, [debouncedSearch, status, classId, gender, reset]);

  // Enter pressed in the search box while results were still coming: open the first match.
  useEffect(() => {
    if (!pendingEnter.current || search !== debouncedSearch || !loaded) return;
    pendingEnter.current = false;
    const first = rows[0];
    if (first) select(first);
  }, [version, loaded, search, debouncedSearch, rows, select]);

  const onListKeyDown = (e: KeyboardEvent<HTMLDivElement>) => {
    const to = targetOf(e.key);
    if (to !== null) moveTo(to);
    else if (e.key === 'Enter') {
      const row = rows[active];
      if (row) select(row);
    } else return;
    e.preventDefault();
  };

  const onSearchKeyDown = (e: KeyboardEvent<HTMLInputElement>) => {
    if (e.key === 'ArrowDown') {
      e.preventDefault();
      scrollRef.current?.focus();
      moveTo(Math.max(active, 0));
    } else if (e.key === 'Enter') {
      e.preventDefault();
      const row = rows[Math.max(active, 0)];
      if (search === debouncedSearch && loaded) {
        if (row) select(row);
      } else {
        pendingEnter.current = true;
      }
    }
  };

  const activeRow = rows[active];

  return (
    <section className="students" aria-label="Students">
      <div className="students-filters">
        <input
          type="search"
          className="search-input"
          aria-label="Search students"
          placeholder="Search by name, admission no. or phone"
          value={search}
          autoFocus
          autoComplete="off"
          spellCheck={false}
          onChange={(e) => {
            pendingEnter.current = false;
            setSearch(e.target.value);
          }}
          onKeyDown={onSearchKeyDown}
        />
        <select
          aria-label="Student status"
          value={status}
          onChange={(e) => setStatus(e.target.value as StudentStatus | '')}
        >
          <option value="">All statuses</option>
          {STUDENT_STATUSES.map((s) => (
            <option key={s} value={s}>
              {STATUS_LABEL[s]}
            </option>
          ))}
        </select>
        <select aria-label="Filter by class" value={classId} onChange={(e) => setClassId(e.target.value)}>
          <option value="">All classes</option>
          {classes?.classes.map((c) => (
            <option key={c.id} value={c.id}>
              {c.name}
            </option>
          ))}
        </select>
        <select aria-label="Filter by gender" value={gender} onChange={(e) => setGender(e.target.value as Gender | '')}>
          <option value="">Any gender</option>
          {GENDERS.map((g) => (
            <option key={g} value={g}>
              {GENDER_LABEL[g]}
            </option>
          ))}
        </select>
      </div>

      <div className="students-toolbar">
        {canEdit && (
          <button type="button" className="new-student" onClick={() => setCreating(true)} data-testid="student-new">
            New student
          </button>
        )}
        <StudentFileActions />
      </div>

      <div className="students-count" aria-live="polite" data-testid="students-count">
        {countText(total, all)}
        {canEdit && total !== null && total > 0 && ticked.kind === 'ids' && (
          <button type="button" className="link-button" onClick={() => setTicked({ kind: 'all', total })} data-testid="select-all-matching">
            Select all {total.toLocaleString('en')} matching
          </button>
        )}
      </div>

      {canEdit && <BulkBar filter={filter} classes={classes?.classes ?? []} />}

      {error && (
        <div className="notice notice-error" role="alert">
          <p>{error.message}</p>
          <button type="button" onClick={() => void loadMore()}>
            Try again
          </button>
        </div>
      )}

      <div
        ref={scrollRef}
        className="students-scroll"
        data-testid="students-list"
        role="listbox"
        aria-label="Students found"
        tabIndex={0}
        aria-activedescendant={activeRow ? `student-option-${activeRow.id}` : undefined}
        onKeyDown={onListKeyDown}
      >
        {loaded && rows.length === 0 ? (
          <p className="students-empty">
            {debouncedSearch.trim() ? `No student matches “${debouncedSearch.trim()}”. Check the spelling or search by admission number.` : 'No students yet.'}
          </p>
        ) : (
          <div className="students-canvas" style={{ height: virtualizer.getTotalSize() }}>
            {items.map((item) => {
              const row = rows[item.index];
              if (!row) {
                return (
                  <div key="loader" className="student-row student-row-loader" style={{ transform: `translateY(${item.start}px)`, height: ROW_HEIGHT }}>
                    Loading students…
                  </div>
                );
              }
              return (
                <StudentRow
                  key={row.id}
                  student={row}
                  start={item.start}
                  active={item.index === active}
                  selected={row.id === selectedId}
                  ticked={canEdit ? isTicked(ticked, row.id) : null}
                  onTick={() => tick(row.id)}
                  onPick={() => {
                    setActive(item.index);
                    select(row);
                  }}
                />
              );
            })}
          </div>
        )}
      </div>
    </section>
  );
}

interface StudentRowProps {
  student: StudentListItem;
  start: number;
  active: boolean;
  selected: boolean;
  /** Null when the person cannot make bulk changes (no tick box). */
  ticked: boolean | null;
  onTick(): void;
  onPick(): void;
}

const StudentRow = memo(
  function StudentRow({ student, start, active, selected, ticked, onTick, onPick }: StudentRowProps) {
    const cls = ['student-row', active && 'is-active', selected && 'is-selected'].filter(Boolean).join(' ');
    return (
      <div
        id={`student-option-${student.id}`}
        className={cls}
        data-testid="student-row"
        role="option"
        aria-selected={selected}
        style={{ transform: `translateY(${start}px)`, height: ROW_HEIGHT }}
        onMouseDown={(e) => e.preventDefault() /* keep focus where it is; the click selects */}
        onClick={onPick}
      >
        {ticked !== null && (
          <input
            type="checkbox"
            className="student-tick"
            aria-label={`Select ${student.firstName} ${student.lastName}`}
            checked={ticked}
            onClick={(e) => e.stopPropagation()}
            onChange={onTick}
          />
        )}
        <div className="student-text">
          <div className="student-name">
            {student.lastName}, {student.firstName}
            {student.status !== 'enrolled' && <span className="tag">{STATUS_LABEL[student.status]}</span>}
          </div>
          <div className="student-meta">
            <span className="admission-no">{student.admissionNo}</span>
            <span className="class-name">{student.className ?? 'No class'}</span>
          </div>
        </div>
      </div>
    );
  },
  // onPick is a fresh closure each render but always does the same thing for the same row.
  (a, b) => a.student === b.student && a.start === b.start && a.active === b.active && a.selected === b.selected && a.ticked === b.ticked,
);
