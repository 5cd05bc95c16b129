// "Needs attention" → Fix… in Chromium, against the real app and a real server on PostgreSQL.
// The bursar, offline, records a payment for a student whom the head office withdraws meanwhile;
// the school refuses it. In the list, Fix… opens the refused payment with the school's reason on
// top; a cheque without its number is refused at the reference box and nothing changes; moved to the right student and
// corrected, it is saved and sent again, leaves the list, and reaches the school once under the
// receipt number already given out. A student edit into a class another office removed is put
// into another class the same way, its other values kept.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { postgresUnavailable } from '../support/postgres.js';
import { chromiumUnavailable } from '../support/chromium.js';
import { OfficeE2E, poll, syncStatus, type OfficeDevice } from '../support/office-e2e.js';
import { DEMO_SCHOOL, DEMO_STAFF } from '../../sync-server/src/demo/seed-demo.js';
import type { StudentListItem } from '../../shared/domain/students.js';
import type { ClassesList, StudentProfile } from '../../shared/domain/student-views.js';
import { saveRecords } from '../../electron/core/commands/save-records.js';

const skip = (await postgresUnavailable()) ?? chromiumUnavailable();
const STUDENTS = 30;

async function call<T>(device: OfficeDevice, method: string, input: unknown): Promise<T> {
  const out = (await device.core.dispatch(method, input)) as { ok: true; value: T } | { ok: false; error: unknown };
  if (!out.ok) throw new Error(`${method}: ${JSON.stringify(out.error)}`);
  return out.value;
}

describe.skipIf(skip)('correcting a refused payment, in Chromium', () => {
  let e2e: OfficeE2E;
  let bursary: OfficeDevice;
  let head: OfficeDevice;
  let shot: (page: Page, name: string) => Promise<unknown>;

  beforeAll(async () => {
    e2e = await OfficeE2E.start(STUDENTS);
    shot = e2e.shots('attention-fix-ui');
    bursary = await e2e.device('Bursary', DEMO_STAFF.bursar, DEMO_SCHOOL.enrolmentCode);
    head = await e2e.device('Head office', DEMO_STAFF.admin, DEMO_SCHOOL.enrolmentCode);
  }, 120_000);

  afterAll(async () => {
    await e2e?.close();
  });

  it('Fix… moves the refused payment to the right student, and it is recorded once with its receipt number', async () => {
    const { page } = bursary;
    const [wrong, right] = (await call<{ rows: StudentListItem[] }>(bursary, 'students.list', { status: 'enrolled', limit: 2 })).rows;

    // Offline, the bursar takes 1,500.00 and sets it down for the wrong student.
    await bursary.offline();
    await page.getByLabel('Search students').fill(wrong!.admissionNo);
    await poll(() => page.getByTestId('student-row').count()).toBe(1);
    await page.getByLabel('Search students').press('Enter');
    const amount = page.getByLabel('Amount');
    await poll(() => amount.evaluate((el) => el === document.activeElement)).toBe(true);
    await amount.fill('1,500.00');
    await amount.press('Enter');
    await poll(() => page.getByTestId('last-receipt').textContent()).toMatch(/DEMO-D\d+-\d{6}/);
    const receiptNo = (await page.getByTestId('last-receipt').textContent())!.trim();

    // Meanwhile the head office withdraws that student; back online, the school refuses the payment.
    const profile = await call<StudentProfile>(head, 'students.profile', { id: wrong!.id });
    await call(head, 'students.save', { id: wrong!.id, values: { ...profile.values, status: 'withdrawn' } });
    await poll(() => head.count('select count(*) from outbox')).toBe(0);
    bursary.online();
    await poll(() => bursary.count('select count(*) from needs_attention')).toBe(1);

    await page.getByTestId('nav-attention').click();
    const row = page.getByTestId('attention-row');
    await poll(() => row.count()).toBe(1);
    expect(await row.getByTestId('attention-summary').textContent()).toContain(receiptNo);
    await row.getByTestId('attention-fix').click();

    const dialog = page.getByTestId('fix-dialog');
    await dialog.waitFor();
    expect(await dialog.getByTestId('fix-reason').textContent()).toMatch(/enrolled/);
    expect(await dialog.getByTestId('fix-receipt').textContent()).toBe(receiptNo);
    expect(await dialog.getByTestId('fix-student').textContent()).toContain(wrong!.admissionNo);
    // Keyboard first: the amount has the focus, prefilled with what was refused.
    const fixAmount = dialog.getByLabel('Amount');
    await poll(() => fixAmount.evaluate((el) => el === document.activeElement)).toBe(true);
    expect(await fixAmount.inputValue()).toBe('1500.00');

    // A cheque without its number is refused by core at the reference box; nothing was sent, the item stays.
    await dialog.getByLabel('Payment method').selectOption('cheque');
    await fixAmount.press('Enter');
    await poll(() => dialog.getByTestId('fix-error').textContent()).toMatch(/^Check the corrected reference: .*still in "needs attention"/);
    const reference = dialog.getByLabel('Reference');
    expect(await reference.getAttribute('aria-invalid')).toBe('true');
    expect(await dialog.locator('.field-error').first().textContent()).toMatch(/needs the reference number/);
    expect(bursary.count('select count(*) from needs_attention')).toBe(1);
    expect(bursary.count('select count(*) from outbox')).toBe(0);
    await shot(page, '1-refused-at-its-field');

    // The right student, found by admission number, and the right amount.
    await dialog.getByLabel('Find another student').fill(right!.admissionNo);
    await dialog.getByRole('button', { name: new RegExp(right!.admissionNo.replace(/[/]/g, '\\/')) }).click();
    await poll(() => dialog.getByTestId('fix-student').textContent()).toContain(right!.admissionNo);
    await reference.fill('CHQ 0042');
    await fixAmount.fill('1,200.00');
    await shot(page, '2-corrected');
    await fixAmount.press('Enter');

    await dialog.waitFor({ state: 'detached' });
    await poll(() => page.getByTestId('attention-result').textContent()).toMatch(/^Corrected and queued again as Peter Otieno/);
    await poll(() => syncStatus(page)).toBe('online · 0 pending');
    await poll(() => page.getByTestId('attention-row').count()).toBe(0);
    await shot(page, '3-sent');

    const onServer = await e2e.server.db.db.selectFrom('payments').select(['student_id', 'amount_minor', 'method', 'reference']).where('receipt_no', '=', receiptNo).execute();
    expect(onServer).toEqual([{ student_id: right!.id, amount_minor: 120_000, method: 'cheque', reference: 'CHQ 0042' }]);
    await poll(() => head.count('select count(*) from payments where receipt_no = ? and student_id = ?', receiptNo, right!.id)).toBe(1);
    expect(bursary.count('select count(*) from payments where receipt_no = ?', receiptNo)).toBe(1);
  }, 120_000);

  it('Fix… puts a student edit refused for a removed class into another class, keeping the rest of it', async () => {
    const registry = await e2e.device('Registry', DEMO_STAFF.admin, DEMO_SCHOOL.enrolmentCode);
    const { page } = head;
    const student = (await call<{ rows: StudentListItem[] }>(head, 'students.list', { status: 'enrolled', limit: 3 })).rows[2]!;
    const { classes } = await call<ClassesList>(head, 'classes.list', {});
    const [removed, other] = classes.filter((c) => c.name !== student.className);

    await head.offline();
    const profile = await call<StudentProfile>(head, 'students.profile', { id: student.id });
    await call(head, 'students.save', { id: student.id, values: { ...profile.values, class_id: removed!.id, medical_notes: 'Asthma: inhaler in the office' } });
    // Another office removes the class (a tombstone, through the one write path of records).
    await registry.core.store.db.transaction().execute((tx) => saveRecords(tx, 'classes', [{ id: removed!.id, values: {}, delete: true }], DEMO_STAFF.admin.id));
    registry.core.sync.kick();
    await poll(() => registry.count('select count(*) from outbox')).toBe(0);
    head.online();
    await poll(() => head.count('select count(*) from needs_attention')).toBe(1);

    await page.getByTestId('nav-attention').click();
    await page.getByTestId('attention-fix').click();
    const dialog = page.getByTestId('fix-dialog');
    await dialog.waitFor();
    expect(await dialog.getByTestId('fix-reason').textContent()).toMatch(/class .* removed/);
    const classBox = dialog.getByLabel('Class');
    await poll(() => classBox.evaluate((el) => el === document.activeElement)).toBe(true);
    expect(await classBox.locator('option:checked').textContent()).toMatch(/The class refused/);
    const notes = dialog.getByLabel('Medical notes');
    expect(await notes.inputValue()).toBe('Asthma: inhaler in the office');
    await classBox.selectOption({ label: other!.name });
    await shot(page, '4-student-corrected');
    await notes.press('Enter');

    await dialog.waitFor({ state: 'detached' });
    await poll(() => page.getByTestId('attention-result').textContent()).toMatch(/^Corrected and queued again as Grace Wanjiru/);
    await poll(() => syncStatus(page)).toBe('online · 0 pending');
    const onServer = await e2e.server.db.db.selectFrom('students').select(['class_id', 'medical_notes']).where('id', '=', student.id).executeTakeFirstOrThrow();
    expect(onServer).toEqual({ class_id: other!.id, medical_notes: 'Asthma: inhaler in the office' });
    await poll(() => registry.count('select count(*) from students where id = ? and class_id = ?', student.id, other!.id)).toBe(1);
  }, 120_000);
});
