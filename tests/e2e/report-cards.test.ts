// Issue 5's report cards in real Chromium against the real app: a teacher opens the scores grid
// for a class and subject, types marks with the keyboard (one above the maximum is shown in its
// cell and not saved), corrects it, saves, opens a student's report card and prints it to PDF.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { chromiumUnavailable, launchChromium } from '../support/chromium.js';
import { isPdf, pdfPageCount } from '../support/pdf.js';
import { pdfText } from '../support/pdf-text.js';
import { call, openTestDevice, pullRows, signInAs, staffFor, TEST_PASSWORD, type TestDevice } from '../support/local-device.js';
import { startBrowserHost, type BrowserHost } from '../../electron/host/browser-host.js';
import { STUDENT_PROFILE_DEFAULTS, type StudentRow } from '../../shared/domain/students.js';
import { classSubjectId } from '../../shared/domain/classes.js';
import { EMPTY_META } from '../../shared/domain/records.js';

const skip = chromiumUnavailable();
const rendererDir = resolve(import.meta.dirname, '../../dist/renderer');
const shots = resolve(import.meta.dirname, '../../test-results/report-cards');
const TERM = 'Term 1 2027';
const id = (n: number) => `0190e000-0000-7000-8000-${String(n).padStart(12, '0')}`;
const EAST = id(1);
const MATH = id(11);
const STUDENTS: [string, string, string][] = [
  [id(21), 'Amina', 'Achieng'],
  [id(22), 'Brian', 'Baraka'],
  [id(23), 'Chloe', 'Chege'],
];
const record = { deleted: false, meta: EMPTY_META };
const poll = <T>(read: () => T | Promise<T>, timeout = 10_000) => expect.poll(read, { timeout });

describe.skipIf(skip)('report cards, end to end in Chromium', () => {
  let device: TestDevice;
  let host: BrowserHost;
  let browser: Browser;
  let page: Page;

  beforeAll(async () => {
    mkdirSync(shots, { recursive: true });
    device = await openTestDevice({ signInAs: 'head_teacher' });
    const { core } = device;
    await pullRows(core, 'terms', [{ id: 'term-2027-1', name: TERM, starts_on: '2027-01-04', ends_on: '2027-04-02' }]);
    await pullRows(core, 'classes', [{ ...record, id: EAST, grade: 'Grade 7', level: 7, stream: 'East', academic_year: 2027, class_teacher_id: staffFor('teacher').id, grading_scale_id: null, name: 'Grade 7 East' }]);
    await pullRows(core, 'subjects', [{ ...record, id: MATH, name: 'Mathematics', code: 'MATH' }]);
    await pullRows(core, 'class_subjects', [{ ...record, id: classSubjectId(EAST, MATH), class_id: EAST, subject_id: MATH, teacher_id: staffFor('teacher').id, compulsory: true }]);
    const students: StudentRow[] = STUDENTS.map(([sid, first, last], i) => ({ ...STUDENT_PROFILE_DEFAULTS, id: sid, admission_no: `G7/${i + 1}`, first_name: first, last_name: last, class_id: EAST, class_name: 'Grade 7 East', status: 'enrolled', guardian_phone: null }));
    await pullRows(core, 'students', students);
    await call(core, 'gradingScales.save', {
      name: 'KCSE',
      is_default: true,
      bands: [
        { grade: 'A', min: 80, max: 100, remark: 'Excellent' },
        { grade: 'B', min: 70, max: 79, remark: 'Very good' },
        { grade: 'C', min: 50, max: 69, remark: 'Good' },
        { grade: 'D', min: 0, max: 49, remark: 'Needs support' },
      ],
    });
    await signInAs(core, 'teacher');
    await call(core, 'assessments.save', { classId: EAST, subjectId: MATH, term: TERM, name: 'CAT 1', weight: 30, maxScore: 30 });
    await call(core, 'assessments.save', { classId: EAST, subjectId: MATH, term: TERM, name: 'End of term', weight: 70, maxScore: 100 });
    await call(core, 'auth.logout', {});

    host = await startBrowserHost({ dispatch: core.dispatch, staticDir: rendererDir });
    browser = await launchChromium();
    page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    page.on('pageerror', (e) => console.error('page error', e));
    await page.goto(host.url);
    await page.getByLabel('Username').fill(staffFor('teacher').username);
    await page.getByLabel('Password').fill(TEST_PASSWORD);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByTestId('signed-in-user').waitFor();
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await host?.close();
    await device?.dispose();
  });

  const scores = () => device.core.store.sqlite.prepare('select st.first_name as name, a.name as assessment, s.score from scores s join students st on st.id = s.student_id join assessments a on a.id = s.assessment_id order by st.last_name, a.name').all();
  const focused = () => page.evaluate(() => document.activeElement?.getAttribute('aria-label') ?? null);

  it('types a class’s marks with the keyboard, refuses one above the maximum, saves the rest and prints a report card to PDF', async () => {
    await page.getByTestId('nav-reports').click();
    const grid = page.getByTestId('scores-grid');
    await grid.waitFor();
    await poll(() => page.getByTestId('scores-row').count()).toBe(3);

    // Down the CAT 1 column with Enter; Tab goes across to the exam.
    await page.getByLabel('Amina Achieng, CAT 1').focus();
    await page.keyboard.type('24');
    await page.keyboard.press('Enter');
    expect(await focused()).toBe('Brian Baraka, CAT 1');
    await page.keyboard.type('31');
    await page.keyboard.press('Enter');
    expect(await focused()).toBe('Chloe Chege, CAT 1');
    await page.keyboard.type('27');
    await page.keyboard.press('Tab');
    expect(await focused()).toBe('Chloe Chege, End of term');
    await page.keyboard.type('65');
    await page.keyboard.press('ArrowUp');
    await page.keyboard.press('ArrowUp');
    expect(await focused()).toBe('Amina Achieng, End of term');
    await page.keyboard.type('70');

    // The mark above the maximum shows its problem in its cell, and saving refuses the grid.
    const brianCat = page.getByLabel('Brian Baraka, CAT 1');
    await poll(() => brianCat.getAttribute('aria-invalid')).toBe('true');
    await poll(() => grid.getByRole('alert').first().textContent()).toBe('31 is above the most marks, 30.');
    // Each row's result follows the typing, graded on the school's default scale; Brian's mark in
    // red is left out, so his result is his (empty) exam alone: none yet.
    const results = () => page.getByTestId('scores-result').allTextContents();
    await poll(results).toEqual(['73.0 B', '–without the mark in red', '72.5 B']);
    await page.getByTestId('save-scores').click();
    await poll(() => page.getByTestId('scores-error').textContent()).toMatch(/1 cell has a mark that cannot be saved.*nothing was saved/);
    expect(scores()).toEqual([]);
    await page.screenshot({ path: join(shots, 'grid-refused.png'), fullPage: true });

    // Corrected to a half mark, Brian's exam typed, then saved: only the typed cells are written.
    await brianCat.focus();
    await page.keyboard.type('29.5');
    await page.keyboard.press('Tab');
    expect(await focused()).toBe('Brian Baraka, End of term');
    await page.keyboard.type('80');
    await page.getByTestId('save-scores').click();
    await poll(() => page.getByTestId('scores-notice').textContent()).toBe('Saved 6 scores.');
    expect(scores()).toEqual([
      { name: 'Amina', assessment: 'CAT 1', score: 24 },
      { name: 'Amina', assessment: 'End of term', score: 70 },
      { name: 'Brian', assessment: 'CAT 1', score: 29.5 },
      { name: 'Brian', assessment: 'End of term', score: 80 },
      { name: 'Chloe', assessment: 'CAT 1', score: 27 },
      { name: 'Chloe', assessment: 'End of term', score: 65 },
    ]);
    await poll(() => page.getByLabel('Brian Baraka, CAT 1').inputValue()).toBe('29.5');
    await poll(results).toEqual(['73.0 B', '85.5 A', '72.5 B']);

    // Amina: 24/30 × 30 + 70/100 × 70 = 73.0, a B, second of three (Brian 85.5, Chloe 72.5).
    await page.getByTestId('reports-cards').click();
    await poll(() => page.getByTestId('report-card-row').count()).toBe(3);
    await page.getByRole('button', { name: 'Report card for Amina Achieng' }).click();
    const card = page.getByTestId('report-card-print');
    await card.waitFor();
    const maths = card.getByTestId('report-card-subject');
    await poll(() => maths.locator('td').allTextContents()).toEqual(['Mathematics', 'CAT 1: 24/30 (30%)End of term: 70/100 (70%)', '73.0', 'B', 'Very good', '2 of 3']);
    await expect(card.textContent()).resolves.toContain('Class teacher Teacher Person');

    const pdf = await page.pdf({ path: join(shots, 'report-card-amina.pdf'), preferCSSPageSize: true, printBackground: true });
    expect(isPdf(pdf)).toBe(true);
    expect(pdfPageCount(pdf)).toBe(1);
    const text = pdfText(pdf);
    expect(text).toContain('Amina Achieng');
    expect(text).toMatch(/Mathematics.*73\.0\s*B\s*Very good\s*2 of 3/s);
  }, 120_000);
});
