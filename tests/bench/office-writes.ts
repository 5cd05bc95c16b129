// Timings of the core calls that write many editable rows (DESIGN §2: no call in the main process
// over 50 ms), through the real dispatch on a real SQLite file. Prints per call; asserts nothing
// (wall-clock figures belong in decisions, not in unit tests).
// Run: node --import tsx tests/bench/office-writes.ts
import { call, openTestDevice, pullRows, signInAs, staffFor } from '../support/local-device.js';
import { STUDENT_IMPORT_CHUNK_ROWS } from '../../shared/domain/student-import.js';
import { MAX_BULK_STUDENTS } from '../../electron/core/commands/students.js';
import type { TermRow } from '../../shared/domain/terms.js';
import { summarize } from './measure.js';

const IMPORT_ROWS = 5000;

/** The call's time, and the longest the event loop was held without a turn during it (what the
 * rule is about: a call split by breaths keeps the main process answering). */
async function timed<T>(work: () => Promise<T>): Promise<[T, number]> {
  let last = performance.now();
  let running = true;
  let held = 0;
  const tick = () => {
    if (!running) return;
    const now = performance.now();
    held = Math.max(held, now - last);
    last = now;
    setImmediate(tick);
  };
  setImmediate(tick);
  const start = performance.now();
  const out = await work();
  const ms = performance.now() - start;
  held = Math.max(held, performance.now() - last);
  running = false;
  longest.push(held);
  return [out, ms];
}
let longest: number[] = [];

function report(label: string, times: number[]): void {
  const s = summarize(times);
  const h = summarize(longest);
  console.log(`${label.padEnd(52)} n=${String(s.n).padStart(3)}  median ${s.median.toFixed(1).padStart(6)} ms  max ${s.max.toFixed(1).padStart(6)} ms  longest hold ${h.max.toFixed(1).padStart(6)} ms`);
  longest = [];
}

const device = await openTestDevice({ students: 2000, signInAs: 'head_teacher' });
const { core } = device;
try {
  const today = new Date().toISOString().slice(0, 10);
  const year = Number(today.slice(0, 4));
  const term: TermRow = { id: 'term-now', name: `Term 1 ${year}`, starts_on: `${year}-01-01`, ends_on: `${year}-12-31` };
  await pullRows(core, 'terms', [term]);
  const newClass = (grade: string, level: number, stream: string, y = year) =>
    call(core, 'classes.save', { values: { grade, level, stream, academic_year: y, class_teacher_id: staffFor('teacher').id, grading_scale_id: null } });
  const classes: Awaited<ReturnType<typeof newClass>>[] = [];
  for (let g = 1; g <= 8; g++) for (const s of ['A', 'B']) classes.push(await newClass(`Grade ${g}`, g, s));

  // Import: 5,000 new students with a guardian each (siblings share one), one call per chunk.
  const header = 'admission_no,first_name,last_name,gender,class,guardian1_name,guardian1_relationship,guardian1_phone';
  const lines = Array.from({ length: IMPORT_ROWS }, (_, i) => {
    const cls = classes[i % classes.length]!;
    return `IMP/${String(i).padStart(5, '0')},Kid${i},Family${Math.floor(i / 2)},${i % 2 ? 'male' : 'female'},${cls.name},Parent ${Math.floor(i / 2)},Parent,+254 7${String(Math.floor(i / 2)).padStart(8, '0')}`;
  });
  const csv = [header, ...lines].join('\n');
  // As the screen does: a dry run of the whole file, then its rows in chunks.
  const [, dryMs] = await timed(() => call(core, 'students.importCsv', { fileName: 's.csv', csv, dryRun: true }));
  report(`import dry run of ${IMPORT_ROWS} rows (one call)`, [dryMs]);
  const importTimes: number[] = [];
  for (let from = 0; from < IMPORT_ROWS; from += STUDENT_IMPORT_CHUNK_ROWS) {
    const [, ms] = await timed(() => call(core, 'students.importCsv', { fileName: 's.csv', csv, dryRun: false, fromRow: from, toRow: Math.min(from + STUDENT_IMPORT_CHUNK_ROWS, IMPORT_ROWS) }));
    importTimes.push(ms);
  }
  report(`import ${IMPORT_ROWS} rows, ${STUDENT_IMPORT_CHUNK_ROWS} per call`, importTimes);

  // Bulk: 600 students (of the 2,000 pulled ones) to a class and back, then a status change.
  const ids = device.students.slice(0, 600).map((s) => s.id);
  const bulkTimes: number[] = [];
  for (const cls of [classes[0]!, classes[1]!, classes[2]!]) bulkTimes.push((await timed(() => call(core, 'students.bulkChange', { target: { ids }, change: { classId: cls.id } })))[1]);
  report(`bulk move of 600 students (max ${MAX_BULK_STUDENTS} per call)`, bulkTimes);
  const statusTimes: number[] = [];
  for (const status of ['withdrawn', 'enrolled'] as const) statusTimes.push((await timed(() => call(core, 'students.bulkChange', { target: { ids }, change: { status } })))[1]);
  report('bulk status of 600 students', statusTimes);

  // Promotion: a class of 200 enrolled students to next year's class (created in the same call).
  const big = await newClass('Grade 9', 9, 'P');
  await call(core, 'students.bulkChange', { target: { ids: ids.slice(0, 200) }, change: { classId: big.id } });
  const [, promoteMs] = await timed(() => call(core, 'classes.promote', { classId: big.id, to: { kind: 'next' } }));
  report('promote a 200-student class (next year, new class)', [promoteMs]);

  // A register of 45 students, saved on 6 days, then re-saved with a few marks changed.
  const reg = await newClass('Grade 10', 10, 'R');
  const regIds = device.students.slice(1000, 1045).map((s) => s.id);
  await call(core, 'students.bulkChange', { target: { ids: regIds }, change: { classId: reg.id } });
  await signInAs(core, 'teacher');
  const regTimes: number[] = [];
  const days = Array.from({ length: 6 }, (_, i) => new Date(Date.now() - (i + 1) * 86_400_000).toISOString().slice(0, 10));
  for (const date of days) {
    const marks = regIds.map((studentId, i) => ({ studentId, status: i % 9 === 0 ? ('absent' as const) : ('present' as const), reason: null }));
    regTimes.push((await timed(() => call(core, 'attendance.save', { classId: reg.id, date, period: 'Morning', note: '', marks })))[1]);
  }
  report('save a 45-student register', regTimes);

  // Scores: 40 students x 2 assessments of one subject.
  await signInAs(core, 'head_teacher');
  const subject = await call(core, 'subjects.save', { values: { name: 'Mathematics', code: 'MATH' } });
  await call(core, 'classes.saveSubject', { classId: reg.id, subjectId: subject.id, teacherId: staffFor('teacher').id, compulsory: true });
  await signInAs(core, 'teacher');
  const key = { classId: reg.id, subjectId: subject.id, term: term.name };
  const cat = await call(core, 'assessments.save', { ...key, name: 'CAT 1', weight: 30, maxScore: 30 });
  const exam = await call(core, 'assessments.save', { ...key, name: 'Exam', weight: 70, maxScore: 100 });
  const scoreTimes: number[] = [];
  for (let round = 0; round < 5; round++) {
    const cells = regIds.slice(0, 40).flatMap((studentId, i) => [
      { studentId, assessmentId: cat.id, score: (i + round) % 31 },
      { studentId, assessmentId: exam.id, score: (i * 2 + round) % 101 },
    ]);
    scoreTimes.push((await timed(() => call(core, 'scores.save', { ...key, cells })))[1]);
  }
  report('save a 40x2 scores grid', scoreTimes);
} finally {
  await device.dispose();
}
