// Messages and the calendar between two computers, in Chromium against the real app and a real
// server on PostgreSQL. The administrator, offline in the office, writes to all teachers (it is in
// her Sent at once, read by nobody) and puts a parents' meeting on the calendar next week (an end
// before the start is refused on the form and saves nothing). After she syncs, the teacher on the
// staff-room computer finds the message in her inbox as unread and opens it; once both computers
// sync, the administrator's Sent shows it read by that teacher. The staff room sees the meeting in
// the month view and in the office dashboard's coming fortnight.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { postgresUnavailable } from '../support/postgres.js';
import { chromiumUnavailable } from '../support/chromium.js';
import { waitFor } from '../support/wait.js';
import { OfficeE2E, poll, syncStatus, tab, tabCount, type OfficeDevice } from '../support/office-e2e.js';
import { DEMO_SCHOOL, DEMO_STAFF } from '../../sync-server/src/demo/seed-demo.js';
import { DEMO_TEACHERS } from '../../sync-server/src/demo/office-staff.js';
import { schoolDate } from '../../shared/domain/ledger-math.js';
import { addDays } from '../../shared/domain/calendar-views.js';

const skip = (await postgresUnavailable()) ?? chromiumUnavailable();
const STUDENTS = 30;
const SUBJECT = 'Parents\u2019 meeting: report cards';
const BODY = 'Please have your class\u2019s report cards ready by Thursday. Parents come at 14:00.';
const MEETING = 'Parents\u2019 meeting, Term 3';

describe.skipIf(skip)('messages and the calendar between the office and the staff room, in Chromium', () => {
  let e2e: OfficeE2E;
  let office: OfficeDevice;
  let staffRoom: OfficeDevice;
  let shot: (page: Page, name: string) => Promise<unknown>;

  beforeAll(async () => {
    e2e = await OfficeE2E.start(STUDENTS);
    shot = e2e.shots('calendar-messages-ui');
    office = await e2e.device('Head office', DEMO_STAFF.admin, DEMO_SCHOOL.enrolmentCode);
    staffRoom = await e2e.device('Staff room', DEMO_STAFF.teacher, DEMO_SCHOOL.teacherEnrolmentCode);
  }, 120_000);

  afterAll(async () => {
    await e2e?.close();
  });

  /** The office dashboard's "Unread messages" (the dashboard reads again after each sync). */
  async function unreadOnDashboard(page: Page): Promise<number> {
    await tab(page, 'Office').click();
    const unread = page.getByTestId('office-unread');
    await unread.waitFor();
    return Number(await unread.textContent());
  }

  /** An opened message's receipts: each recipient's name and when they read it ("Not yet"). */
  async function receiptsByTeacher(page: Page): Promise<Map<string, string>> {
    const rows = page.getByTestId('message-receipts').locator('tbody tr');
    await poll(() => rows.count()).toBe(DEMO_TEACHERS.length);
    const cells = await rows.evaluateAll((trs) => trs.map((tr) => [...tr.querySelectorAll('td')].map((td) => td.textContent ?? '')));
    return new Map(cells.map(([name, when]) => [name!, when!]));
  }

  /** One of the Messages screen's lists. */
  async function messages(page: Page, list: 'inbox' | 'sent') {
    await tab(page, 'Messages').click();
    await page.getByTestId(`messages-${list}`).click();
    return page.getByTestId(`${list}-row`).filter({ hasText: SUBJECT });
  }

  it('a message to all teachers written offline reaches the teacher, and her reading it reaches the sender', { timeout: 90_000 }, async () => {
    const teachers = DEMO_TEACHERS.length;
    const unreadBefore = await unreadOnDashboard(staffRoom.page);
    await office.offline();

    const { page } = office;
    await tab(page, 'Messages').click();
    await page.getByTestId('messages-write').click();
    const compose = page.getByTestId('message-compose');
    await compose.getByRole('checkbox', { name: /^All teachers\b/ }).check();
    await compose.getByTestId('message-subject').fill(SUBJECT);
    await compose.getByTestId('message-body').fill(BODY);
    await compose.getByTestId('message-send').click();

    // In Sent at once, read by nobody, waiting to be sent.
    const sent = page.getByTestId('sent-row').filter({ hasText: SUBJECT });
    await poll(() => sent.count()).toBe(1);
    expect(await sent.textContent()).toContain('To All teachers');
    expect(await sent.textContent()).toMatch(new RegExp(`Read by 0 of ${teachers}|Not read yet`));
    await poll(() => syncStatus(page)).toBe('offline · 1 pending');
    await shot(page, '01-office-sent-offline');
    await sent.click();
    expect(await receiptsByTeacher(page)).toEqual(new Map(DEMO_TEACHERS.map((t) => [t.displayName, 'Not yet'])));
    expect(staffRoom.count('select count(*) from messages where subject = ?', SUBJECT)).toBe(0);
    // Back to Sent, left open: the receipt must show there without leaving the screen.
    await page.getByRole('button', { name: '← Back to the list' }).click();
    await poll(() => sent.count()).toBe(1);

    office.online();
    await poll(() => syncStatus(page)).toBe('online · 0 pending');
    await waitFor('the message in the staff room', async () => staffRoom.count('select count(*) from messages where subject = ?', SUBJECT) === 1, 20_000);

    // The teacher: one more unread, the message in bold at the top of her inbox.
    await poll(() => unreadOnDashboard(staffRoom.page)).toBe(unreadBefore + 1);
    await poll(() => tabCount(staffRoom.page, 'Messages')).toBe(`${unreadBefore + 1} unread`);
    const inbox = await messages(staffRoom.page, 'inbox');
    await poll(() => inbox.count()).toBe(1);
    expect(await inbox.getAttribute('data-unread')).toBe('true');
    expect(await inbox.textContent()).toContain(DEMO_STAFF.admin.displayName);
    await shot(staffRoom.page, '02-staff-room-inbox');
    await inbox.click();
    const opened = staffRoom.page.getByTestId('message-open');
    await poll(() => opened.getByRole('heading', { level: 3 }).textContent()).toBe(SUBJECT);
    expect(await opened.textContent()).toContain(`From ${DEMO_STAFF.admin.displayName} to All teachers`);
    expect(await opened.textContent()).toContain(BODY);
    await shot(staffRoom.page, '03-staff-room-opened');
    await poll(async () => (await messages(staffRoom.page, 'inbox')).getAttribute('data-unread')).toBe('false');
    expect(await unreadOnDashboard(staffRoom.page)).toBe(unreadBefore);
    await poll(() => tabCount(staffRoom.page, 'Messages')).toBe(unreadBefore === 0 ? '' : `${unreadBefore} unread`);
    await poll(() => syncStatus(staffRoom.page)).toBe('online · 0 pending');

    // Back in the office: read by the teacher, and by nobody else yet.
    const messageId = String(office.core.store.sqlite.prepare('select id from messages where subject = ?').pluck().get(SUBJECT));
    await waitFor('the read receipt in the office', async () => office.count('select count(*) from message_reads where message_id = ? and staff_id = ?', messageId, DEMO_STAFF.teacher.id) === 1, 20_000);
    await poll(() => sent.textContent()).toContain(`Read by 1 of ${teachers}`);
    await sent.click();
    const receipts = await receiptsByTeacher(page);
    expect([...receipts.keys()].sort()).toEqual(DEMO_TEACHERS.map((t) => t.displayName).sort());
    for (const [name, when] of receipts) expect(when === 'Not yet').toBe(name !== DEMO_STAFF.teacher.displayName);
    await shot(page, '04-office-read-receipts');
  });

  it('a parents\u2019 meeting put on the calendar offline shows in the staff room\u2019s month view and dashboard; an end before the start saves nothing', { timeout: 90_000 }, async () => {
    const today = schoolDate(new Date(), DEMO_SCHOOL.timeZone);
    const day = addDays(today, 7);
    const { page } = office;
    await office.offline();
    const events = () => office.count('select count(*) from events');
    const outbox = () => office.count('select count(*) from outbox');
    const [eventsBefore, outboxBefore] = [events(), outbox()];

    await tab(page, 'Calendar').click();
    await page.getByTestId('calendar-new').click();
    const dialog = page.getByTestId('event-dialog');
    await dialog.getByTestId('event-title').fill(MEETING);
    await dialog.getByTestId('event-type').selectOption('meeting');
    await dialog.getByTestId('event-starts').fill(day);
    await dialog.getByTestId('event-ends').fill(addDays(day, -1));
    const problem = dialog.getByTestId('event-dates-problem');
    await poll(() => problem.textContent()).toBe('The event ends before it starts. Change the end date or time.');
    expect(await dialog.getByTestId('event-save').isDisabled()).toBe(true);
    await dialog.getByTestId('event-title').press('Enter');
    await shot(page, '05-office-event-ends-before-start');
    // The same on one day: the meeting would end before it begins.
    await dialog.getByTestId('event-ends').fill(day);
    await poll(() => problem.count()).toBe(0);
    await dialog.getByTestId('event-start-time').fill('16:00');
    await dialog.getByTestId('event-end-time').fill('14:00');
    await poll(() => problem.textContent()).toBe('The event ends before it starts. Change the end date or time.');
    expect(await dialog.getByTestId('event-save').isDisabled()).toBe(true);
    expect([events(), outbox()]).toEqual([eventsBefore, outboxBefore]);

    await dialog.getByTestId('event-start-time').fill('14:00');
    await dialog.getByTestId('event-end-time').fill('16:00');
    await dialog.getByTestId('event-location').fill('School hall');
    await poll(() => problem.count()).toBe(0);
    await dialog.getByTestId('event-save').click();
    await poll(() => dialog.count()).toBe(0);
    expect(events()).toBe(eventsBefore + 1);
    await poll(() => syncStatus(page)).toBe(`offline · ${outboxBefore + 1} pending`);

    // The staff room looks at that month before the office syncs: the meeting must appear in place.
    const room = staffRoom.page;
    await tab(room, 'Calendar').click();
    await room.getByTestId('calendar-month').fill(day.slice(0, 7));
    const cell = room.locator(`[data-testid="calendar-day"][data-date="${day}"]`);
    await cell.waitFor();
    expect(await cell.getByTestId('calendar-event').filter({ hasText: MEETING }).count()).toBe(0);

    office.online();
    await poll(() => syncStatus(page)).toBe('online · 0 pending');
    await waitFor('the meeting in the staff room', async () => staffRoom.count('select count(*) from events where title = ? and starts_on = ? and deleted = 0', MEETING, day) === 1, 20_000);

    await poll(() => cell.getByTestId('calendar-event').filter({ hasText: MEETING }).count()).toBe(1);
    expect(await cell.getByTestId('calendar-event').filter({ hasText: MEETING }).textContent()).toBe(`14:00 ${MEETING}`);
    await shot(room, '06-staff-room-month');

    await tab(room, 'Office').click();
    const upcoming = room.getByTestId('office-upcoming').locator('li').filter({ hasText: MEETING });
    await poll(() => upcoming.count()).toBe(1);
    expect(await upcoming.textContent()).toContain('(Meeting, School hall)');
    await shot(room, '07-staff-room-dashboard');
  });
});
