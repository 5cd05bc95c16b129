// The student import dialog's own logic, without a window: how a chosen file is read (UTF-8 only,
// so core can say what is wrong with other encodings), how confirming is cut into calls with
// progress, what a stop keeps, and how the dry run's rows and counts are worded.
import { describe, expect, it } from 'vitest';
import { ACTION_LABEL, countsText, decodeStudentCsv, rowDetail, toWrite, writeFile, writeRanges } from '../../renderer/src/features/students/import/importStudentsRun.js';
import { encodingProblem, STUDENT_IMPORT_CHUNK_ROWS, type StudentImportResult } from '../../shared/domain/student-import.js';

const result = (written: { created: number; updated: number }): StudentImportResult => ({ totalRows: 0, fileProblems: [], counts: { create: 0, update: 0, unchanged: 0, reject: 0 }, rows: [], written });

describe('reading the chosen file', () => {
  it('reads UTF-8 (dropping a BOM); other encodings come through marked, and core names them', () => {
    expect(decodeStudentCsv(new TextEncoder().encode('\uFEFFadmission_no,first_name\nK1,Zoë'))).toBe('admission_no,first_name\nK1,Zoë');
    const latin1 = decodeStudentCsv(new Uint8Array([0x5a, 0x6f, 0xeb]));
    expect(encodingProblem(latin1)).toMatch(/not UTF-8/);
    const utf16 = decodeStudentCsv(new Uint8Array([0xff, 0xfe, 0x4b, 0x00, 0x31, 0x00]));
    expect(encodingProblem(utf16)).toMatch(/UTF-16/);
  });
});

describe('confirming in pieces', () => {
  it('asks one transaction’s rows per call, without gaps', () => {
    expect(writeRanges(0)).toEqual([]);
    expect(writeRanges(600)).toEqual([
      [0, STUDENT_IMPORT_CHUNK_ROWS],
      [STUDENT_IMPORT_CHUNK_ROWS, 2 * STUDENT_IMPORT_CHUNK_ROWS],
      [2 * STUDENT_IMPORT_CHUNK_ROWS, 600],
    ]);
    expect(writeRanges(5000)).toHaveLength(5000 / STUDENT_IMPORT_CHUNK_ROWS);
  });

  it('adds up what each call wrote and reports progress after each; a stop keeps what was written', async () => {
    const calls: [number, number][] = [];
    const seen: number[] = [];
    const done = await writeFile(
      600,
      async (from, to) => {
        calls.push([from, to]);
        return result({ created: to - from - 1, updated: 1 });
      },
      (p) => seen.push(p.done),
    );
    expect(done).toEqual({ done: 600, created: 597, updated: 3, stopped: false });
    const C = STUDENT_IMPORT_CHUNK_ROWS;
    expect(seen).toEqual([C, 2 * C, 600]);
    let n = 0;
    const stopped = await writeFile(600, async (from, to) => result({ created: to - from, updated: 0 }), () => undefined, () => n++ >= 1);
    expect(stopped).toEqual({ done: C, created: C, updated: 0, stopped: true });
  });

  it('passes a refusal on, after the pieces written before it', async () => {
    const written: number[] = [];
    await expect(
      writeFile(
        600,
        async (from) => {
          if (from === STUDENT_IMPORT_CHUNK_ROWS) throw new Error('Sign in to continue.');
          return result({ created: STUDENT_IMPORT_CHUNK_ROWS, updated: 0 });
        },
        (p) => written.push(p.created),
      ),
    ).rejects.toThrow('Sign in to continue.');
    expect(written).toEqual([STUDENT_IMPORT_CHUNK_ROWS]);
  });
});

describe('wording', () => {
  it('counts, rows to write and each row’s detail', () => {
    const counts = { create: 3, update: 12, unchanged: 40, reject: 2 };
    expect(countsText(counts)).toBe('3 new students, 12 updated, 40 unchanged, 2 refused');
    expect(countsText({ create: 1, update: 0, unchanged: 0, reject: 0 })).toBe('1 new student, 0 updated, 0 unchanged');
    expect(toWrite(counts)).toBe(15);
    const row = { index: 0, line: 2, admissionNo: 'K1', name: 'A B', changes: ['First name: A → B', 'Status: enrolled → withdrawn'], problems: [] };
    expect(rowDetail({ ...row, action: 'update' })).toBe('First name: A → B; Status: enrolled → withdrawn');
    expect(rowDetail({ ...row, action: 'create' })).toBe('New student');
    expect(rowDetail({ ...row, action: 'unchanged' })).toBe('Nothing changes');
    expect(rowDetail({ ...row, action: 'reject', problems: [{ column: 'gender', message: '"x" is not one of female, male, other (or F, M).' }, { column: null, message: 'Too many values.' }] })).toBe(
      'gender: "x" is not one of female, male, other (or F, M). Too many values.',
    );
    expect(ACTION_LABEL.reject).toBe('Refused');
  });
});
