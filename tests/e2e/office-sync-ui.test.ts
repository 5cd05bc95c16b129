// Two school offices edit the same student while both are offline, in Chromium against the real
// app and a real server on PostgreSQL. The front office moves the student to another class and
// writes medical notes; the back office writes other medical notes and corrects the date of birth.
// After both sync, each screen shows the merged student (the front office's class, the back
// office's date of birth, the notes of whoever pushed last), and the clash is not lost: both
// Conflicts screens list it with both texts and both computers, and "Restore the replaced value"
// brings the other text back everywhere. Two new students given one admission number on the two
// computers show up as a duplicate naming both.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Locator, Page } from 'playwright-core';
import { postgresUnavailable } from '../support/postgres.js';
import { chromiumUnavailable } from '../support/chromium.js';
import { waitFor } from '../support/wait.js';
import { OfficeE2E, poll, syncStatus, tab, tabCount, type OfficeDevice } from '../support/office-e2e.js';
import { DEMO_SCHOOL, DEMO_STAFF } from '../../sync-server/src/demo/seed-demo.js';

const skip = (await postgresUnavailable()) ?? chromiumUnavailable();
const STUDENTS = 30;

interface Student {
  id: string;
  admissionNo: string;
  firstName: string;
  lastName: string;
}

describe.skipIf(skip)('offline edits of one student on two offices, in Chromium', () => {
  let e2e: OfficeE2E;
  let front: OfficeDevice;
  let back: OfficeDevice;
  let shot: (page: Page, name: string) => Promise<unknown>;

  beforeAll(async () => {
    e2e = await OfficeE2E.start(STUDENTS);
    shot = e2e.shots('office-sync-ui');
    front = await e2e.device('Front office', DEMO_STAFF.admin, DEMO_SCHOOL.enrolmentCode);
    back = await e2e.device('Back office', DEMO_STAFF.admin, DEMO_SCHOOL.enrolmentCode);
  }, 120_000);

  afterAll(async () => {
    await e2e?.close();
  });

  /** Opens the student's profile from the Students screen. */
  async function openProfile(page: Page, admissionNo: string): Promise<Locator> {
    await tab(page, 'Students').click();
    const search = page.getByLabel('Search students');
    await search.fill(admissionNo);
    await poll(() => page.getByTestId('student-row').count()).toBe(1);
    await search.press('Enter');
    await page.getByTestId('student-tab-profile').click();
    const profile = page.getByTestId('student-profile');
    await poll(() => profile.getByTestId('student-admission_no').inputValue()).toBe(admissionNo);
    return profile;
  }

  async function shown(profile: Locator) {
    return {
      className: await profile.getByTestId('student-class').evaluate((el: HTMLSelectElement) => el.selectedOptions[0]?.textContent ?? ''),
      dateOfBirth: await profile.getByTestId('student-date_of_birth').inputValue(),
      medicalNotes: await profile.getByTestId('student-medical_notes').inputValue(),
    };
  }

  async function save(profile: Locator) {
    await profile.getByTestId('student-save').click();
    await poll(() => profile.getByRole('status').textContent()).toBe('Saved.');
  }

  /** Opens the Conflicts screen: the open conflicts about `words` (a student as the screen names them). */
  async function openConflicts(page: Page, words: string): Promise<Locator> {
    await tab(page, 'Conflicts').click();
    await page.getByTestId('conflicts-open').click();
    await poll(() => page.getByText(/Loading conflicts/).count()).toBe(0);
    return page.getByTestId('conflict').filter({ hasText: words });
  }

  /** The Conflicts tab's count as it should read from this computer's open conflicts. */
  function toReview(d: OfficeDevice): string {
    const open = d.count('select count(*) from record_conflicts where resolved_at is null');
    return open === 0 ? '' : `${open} to review`;
  }

  /** Front office first, then the back office: the back office's write is the later one in server order. */
  async function syncFrontThenBack() {
    front.online();
    await poll(() => syncStatus(front.page)).toBe('online · 0 pending');
    back.online();
    await poll(() => syncStatus(back.page)).toBe('online · 0 pending');
  }

  it('keeps both offices\u2019 fields, shows the clash on medical notes for review, and restores the replaced text on both', { timeout: 90_000 }, async () => {
    const x = front.core.store.sqlite
      .prepare("select id, admission_no as admissionNo, first_name as firstName, last_name as lastName from students where status = 'enrolled' and class_id is not null and deleted = 0 order by admission_no limit 1")
      .get() as Student;
    const before = front.core.store.sqlite.prepare('select s.class_id, s.date_of_birth, c.academic_year from students s join classes c on c.id = s.class_id where s.id = ?').get(x.id) as {
      class_id: string;
      date_of_birth: string | null;
      academic_year: number;
    };
    const newClass = front.core.store.sqlite
      .prepare('select id, name from classes where id <> ? and academic_year = ? and deleted = 0 order by name limit 1')
      .get(before.class_id, before.academic_year) as { id: string; name: string };
    const newBirthday = before.date_of_birth === '2013-02-14' ? '2013-02-15' : '2013-02-14';
    const frontNotes = 'Asthma: her inhaler is in the office desk.';
    const backNotes = 'Allergic to penicillin; the nurse has the letter.';
    const words = `${x.firstName} ${x.lastName} (${x.admissionNo})`;

    await front.offline();
    await back.offline();

    let profile = await openProfile(front.page, x.admissionNo);
    await profile.getByTestId('student-class').selectOption({ label: newClass.name });
    await profile.getByTestId('student-medical_notes').fill(frontNotes);
    await save(profile);
    await poll(() => syncStatus(front.page)).toBe('offline · 1 pending');

    profile = await openProfile(back.page, x.admissionNo);
    await profile.getByTestId('student-date_of_birth').fill(newBirthday);
    await profile.getByTestId('student-medical_notes').fill(backNotes);
    await save(profile);
    await poll(() => syncStatus(back.page)).toBe('offline · 1 pending');
    await shot(back.page, '01-back-office-offline-edit');

    await syncFrontThenBack();
    for (const d of [front, back]) {
      await waitFor(`${d.name}: the merged student and its conflict`, async () =>
        d.count('select count(*) from students where id = ? and class_id = ? and date_of_birth = ? and medical_notes = ?', x.id, newClass.id, newBirthday, backNotes) === 1 &&
        d.count('select count(*) from record_conflicts where row_id = ?', x.id) === 1,
      20_000);
    }

    // Each office's profile is still open from its edit: it shows the merged student by itself.
    for (const d of [front, back]) {
      const merged = d.page.getByTestId('student-profile');
      await poll(() => shown(merged)).toEqual({ className: newClass.name, dateOfBirth: newBirthday, medicalNotes: backNotes });
      await shot(d.page, `02-${d.name.toLowerCase().replace(' ', '-')}-merged`);

      await poll(() => tabCount(d.page, 'Conflicts')).toBe(toReview(d));
      const cards = await openConflicts(d.page, words);
      await poll(() => cards.count()).toBe(1);
      const card = cards.first();
      expect(await card.locator('strong').first().textContent()).toBe(words);
      expect(await card.textContent()).toContain('Medical notes');
      const thisOne = (name: string) => (name === d.name ? `${name} \\(this computer\\)` : name);
      expect(await card.getByTestId('conflict-kept').textContent()).toMatch(new RegExp(`^${escape(backNotes)} by ${DEMO_STAFF.admin.displayName}, on ${thisOne('Back office')}$`));
      expect(await card.getByTestId('conflict-replaced').textContent()).toMatch(new RegExp(`^${escape(frontNotes)} by ${DEMO_STAFF.admin.displayName}, on ${thisOne('Front office')}$`));
      await shot(d.page, `03-${d.name.toLowerCase().replace(' ', '-')}-conflicts`);
    }

    // The back office puts the front office's text back (both offices are still on Conflicts).
    const openCards = (page: Page) => page.getByTestId('conflict').filter({ hasText: words });
    const cards = openCards(back.page);
    await cards.first().getByRole('button', { name: 'Restore the replaced value' }).click();
    await poll(() => cards.count()).toBe(0);
    await poll(() => syncStatus(back.page)).toBe('online · 0 pending');
    for (const d of [front, back]) {
      await waitFor(`${d.name}: the restored notes`, async () =>
        d.count("select count(*) from students where id = ? and medical_notes = ?", x.id, frontNotes) === 1 &&
        d.count("select count(*) from record_conflicts where row_id = ? and resolution = 'restored' and resolved_at is not null", x.id) === 1,
      20_000);
    }
    for (const d of [front, back]) {
      await poll(() => openCards(d.page).count()).toBe(0);
      await poll(() => tabCount(d.page, 'Conflicts')).toBe(toReview(d));
      await d.page.getByTestId('conflicts-resolved').click();
      const resolved = d.page.getByTestId('conflict').filter({ hasText: words });
      await poll(() => resolved.count()).toBe(1);
      expect(await resolved.getByTestId('conflict-resolution').textContent()).toMatch(new RegExp(`^Replaced value restored by ${DEMO_STAFF.admin.displayName} on `));
      await shot(d.page, `04-${d.name.toLowerCase().replace(' ', '-')}-resolved`);
      expect(await shown(await openProfile(d.page, x.admissionNo))).toEqual({ className: newClass.name, dateOfBirth: newBirthday, medicalNotes: frontNotes });
    }
    // Nothing new was raised by putting the text back.
    expect(front.count('select count(*) from record_conflicts where row_id = ?', x.id)).toBe(1);
  });

  it('two new students given one admission number offline on the two offices show up as a duplicate naming both', { timeout: 90_000 }, async () => {
    const admissionNo = `DUP/${DEMO_SCHOOL.code}/001`;
    await front.offline();
    await back.offline();
    const add = async (page: Page, first: string, last: string) => {
      await tab(page, 'Students').click();
      await page.getByTestId('student-new').click();
      await page.getByTestId('student-admission_no').fill(admissionNo);
      await page.getByTestId('student-first_name').fill(first);
      await page.getByTestId('student-last_name').fill(last);
      await page.getByTestId('student-save').click();
      await page.getByTestId('student-tab-profile').click();
      await poll(() => page.getByTestId('student-profile').getByTestId('student-first_name').inputValue()).toBe(first);
      await poll(() => syncStatus(page)).toBe('offline · 1 pending');
    };
    await add(front.page, 'Amani', 'Kariuki');
    await add(back.page, 'Baraka', 'Mwangi');

    await syncFrontThenBack();
    for (const d of [front, back]) {
      await waitFor(`${d.name}: both students and the duplicate`, async () =>
        d.count('select count(*) from students where admission_no = ? and deleted = 0', admissionNo) === 2 &&
        d.count("select count(*) from record_conflicts where kind = 'duplicate' and field = 'admission_no' and kept_value = ?", JSON.stringify(admissionNo)) === 1,
      20_000);
    }

    const amani = `Amani Kariuki (${admissionNo})`;
    const baraka = `Baraka Mwangi (${admissionNo})`;
    for (const d of [front, back]) {
      const cards = await openConflicts(d.page, admissionNo);
      await poll(() => cards.count()).toBe(1);
      const text = await cards.first().textContent();
      expect(text).toContain(`Two students were given the admission number ${admissionNo} on different computers: ${baraka} and ${amani}.`);
      expect(await cards.first().getByTestId('conflict-restore').count()).toBe(0);
      await shot(d.page, `05-${d.name.toLowerCase().replace(' ', '-')}-duplicate`);
    }
    // The review leads to both students.
    const card = front.page.getByTestId('conflict').filter({ hasText: admissionNo }).first();
    await card.getByRole('button', { name: 'Open the other student' }).click();
    await front.page.getByTestId('student-tab-profile').click();
    await poll(() => front.page.getByTestId('student-first_name').inputValue()).toBe('Amani');
    const search = front.page.getByLabel('Search students');
    await search.fill(admissionNo);
    await poll(() => front.page.getByTestId('student-row').count()).toBe(2);
  });
});

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
