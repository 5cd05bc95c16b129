// Issue 4's story, in real Chromium against the real app: the demo school's bursar signs in on
// the office computer, the school server goes away, and through the screens she records five
// payments (cash overpaid, mobile money with a reference, a bank transfer spread over two
// charges with the rest as credit, cash she then voids, a cheque), prints a receipt to PDF,
// counts the till 50.00 short and closes the day, after which the form refuses another payment.
// When the server returns everything lands in PostgreSQL once, and a second office computer
// shows the same balances and the void.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import pg from 'pg';
import type { Browser, Page } from 'playwright-core';
import { createTestDatabase, postgresUnavailable, type TestDatabase } from '../support/postgres.js';
import { chromiumUnavailable, launchChromium } from '../support/chromium.js';
import { isPdf, pdfPageCount } from '../support/pdf.js';
import { waitFor } from '../support/wait.js';
import { startSyncServer, type RunningSyncServer } from '../../sync-server/src/start.js';
import { DEMO_SCHOOL, DEMO_STAFF } from '../../sync-server/src/demo/seed-demo.js';
import { DEMO_TEACHER_COLLEAGUES } from '../../sync-server/src/demo/office-staff.js';
import { openCore, type Core } from '../../electron/core/open-core.js';
import { startBrowserHost, type BrowserHost } from '../../electron/host/browser-host.js';
import { formatMinor, parseMajorToMinor } from '../../shared/money.js';
import type { PaymentMethod } from '../../shared/domain/payments.js';

const skip = (await postgresUnavailable()) ?? chromiumUnavailable();
const rendererDir = resolve(import.meta.dirname, '../../dist/renderer');
const shots = resolve(import.meta.dirname, '../../test-results/bursars-day');
// Enough students for a real search; few enough that seeding and the first sync stay quick.
const STUDENTS = 200;
const KES = DEMO_SCHOOL.currency;
const money = (minor: number) => formatMinor(minor, KES);

const fastSync = { minBackoffMs: 200, maxBackoffMs: 1000, idlePushIntervalMs: 500 };

interface Student {
  id: string;
  admissionNo: string;
  name: string;
  /** "Last, First", as the student panel's heading shows it. */
  heading: string;
}

interface PaymentPlan {
  amountMinor: number;
  method: PaymentMethod;
  reference?: string;
  /** Spread by hand over the student's two oldest open charges (half of each); the rest is credit. */
  spread?: true;
}

interface Recorded {
  receiptNo: string;
  /** What the bursar put against each of the two charges, when she spread it. */
  spread: number[];
}

/** "Owes KES 1,700.00" / "Paid up" / "In credit KES 300.00" as a signed balance in minor units. */
function balanceMinor(text: string): number {
  if (text === 'Paid up') return 0;
  const m = /^(Owes|In credit) KES\s(.+)$/.exec(text.replace(/\u00a0/g, ' '));
  if (!m) throw new Error(`Not a balance: "${text}"`);
  const parsed = parseMajorToMinor(m[2]!, KES);
  if (!parsed.ok) throw new Error(parsed.error);
  return m[1] === 'Owes' ? parsed.minor : -parsed.minor;
}

const major = (minor: number) => (minor / 100).toFixed(2);
/** The app answers within a second or two, but Chromium and the servers share two cores. */
const poll = <T>(read: () => T | Promise<T>, timeout = 10_000) => expect.poll(read, { timeout });

describe.skipIf(skip)("a bursar's day, end to end in Chromium", () => {
  let database: TestDatabase;
  let server: RunningSyncServer;
  let browser: Browser;
  let enrolmentCode: string;
  const cleanups: (() => Promise<unknown>)[] = [];
  const dirs: string[] = [];

  async function device(name: string, who: { username: string; password: string }): Promise<{ core: Core; host: BrowserHost; page: Page }> {
    const dir = mkdtempSync(join(tmpdir(), 'schoolhouse-e2e-'));
    dirs.push(dir);
    const core = await openCore({ dataDir: dir, enrol: { serverUrl: server.url, enrolmentCode, deviceName: name }, sync: fastSync });
    cleanups.push(() => core.close());
    await waitFor(`${name}: first sync of the demo school`, async () => {
      const n = (table: string) => core.store.sqlite.prepare(`select count(*) from ${table}`).pluck().get() as number;
      // The demo's decisions on expenses are seeded last: once they are here, so is the rest.
      return n('students') === STUDENTS && n('expense_approvals') === 2 && n('staff') === Object.keys(DEMO_STAFF).length + DEMO_TEACHER_COLLEAGUES.length;
    });
    const host = await startBrowserHost({ dispatch: core.dispatch, staticDir: rendererDir });
    cleanups.push(() => host.close());
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    page.on('pageerror', (e) => console.error(`[${name}] page error`, e));
    await page.goto(host.url);
    await page.getByLabel('Username').fill(who.username);
    await page.getByLabel('Password').fill(who.password);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByTestId('signed-in-user').waitFor();
    return { core, host, page };
  }

  const shot = (page: Page, name: string) => page.screenshot({ path: join(shots, `${name}.png`), fullPage: true });
  const status = (page: Page) => page.getByTestId('sync-status').textContent();

  /** Finds the student with the search box and opens them; returns their balance as shown. */
  async function openStudent(page: Page, student: Student): Promise<number> {
    await page.getByTestId('nav-students').click();
    await page.getByLabel('Search students').fill(student.admissionNo);
    await poll(() => page.getByTestId('student-row').count()).toBe(1);
    await page.getByLabel('Search students').press('Enter');
    await poll(() => page.getByRole('region', { name: 'Selected student' }).getByRole('heading', { level: 2 }).textContent()).toBe(student.heading);
    const balance = page.getByTestId('student-balance');
    await poll(() => balance.textContent()).toMatch(/^(Owes|Paid up|In credit)/);
    return balanceMinor((await balance.textContent())!);
  }

  /** Records one payment through the form; its receipt number shows at once. */
  async function recordPayment(page: Page, plan: PaymentPlan): Promise<Recorded> {
    const amount = page.getByLabel('Amount', { exact: true });
    await poll(() => amount.evaluate((el) => el === document.activeElement)).toBe(true);
    await amount.fill(major(plan.amountMinor));
    await page.getByLabel('Payment method').selectOption(plan.method);
    if (plan.reference) await page.getByLabel('Reference').fill(plan.reference);
    const spread: number[] = [];
    if (plan.spread) {
      const rows = page.getByTestId('allocation-row');
      const n = await rows.count();
      expect(n).toBeGreaterThanOrEqual(2);
      for (let i = 0; i < n; i++) {
        const owes = parseMajorToMinor((await rows.nth(i).locator('td').nth(1).textContent())!.replace(/^KES\s/, ''), KES);
        if (!owes.ok) throw new Error(owes.error);
        // Half of each of the two oldest (whole shillings), nothing against the later ones.
        const part = i < 2 ? Math.floor(owes.minor / 200) * 100 : 0;
        if (i < 2) spread.push(part);
        await rows.nth(i).getByRole('textbox').fill(part ? major(part) : '');
      }
      const credit = plan.amountMinor - spread[0]! - spread[1]!;
      expect(credit).toBeGreaterThan(0);
      await poll(() => page.getByTestId('allocation-credit').textContent()).toBe(`Carried forward as credit: ${money(credit)}`);
    }
    await page.getByRole('button', { name: 'Record payment' }).click();
    const receipt = page.getByTestId('last-receipt');
    await poll(() => receipt.count()).toBe(1);
    const receiptNo = (await receipt.textContent())!;
    expect(receiptNo).toMatch(/^DEMO-D\d+-\d{6}$/);
    return { receiptNo, spread };
  }

  /** One more payment after the close: the form says why it cannot be recorded. */
  async function recordRefused(page: Page): Promise<void> {
    const amount = page.getByLabel('Amount', { exact: true });
    await poll(() => amount.evaluate((el) => el === document.activeElement)).toBe(true);
    await amount.fill('100.00');
    await page.getByRole('button', { name: 'Record payment' }).click();
    await page.getByTestId('payment-error').waitFor();
  }

  beforeAll(async () => {
    database = await createTestDatabase();
    server = await startSyncServer({ databaseUrl: database.url, seedDemo: { students: STUDENTS }, liveTimeoutMs: 2000 });
    enrolmentCode = server.demoEnrolmentCode!;
    browser = await launchChromium();
    mkdirSync(shots, { recursive: true });
  });

  afterAll(async () => {
    for (const c of cleanups.reverse()) await c().catch(() => undefined);
    await browser?.close();
    await server?.close();
    await database?.drop();
    for (const d of dirs) rmSync(d, { recursive: true, force: true });
  });

  it('takes five payments offline, voids one, prints a receipt, closes the day 50.00 short, and syncs it all once', { timeout: 90_000 }, async () => {
    const office = await device('Bursar office', DEMO_STAFF.bursar);
    const { page } = office;
    await poll(() => status(page)).toBe('online · 0 pending');
    await shot(page, '01-signed-in');

    // Five enrolled students past the first few (the demo's scholarship and sibling discount).
    const students = (
      office.core.store.sqlite
        .prepare("select id, admission_no, first_name, last_name from students where status = 'enrolled' order by admission_no limit 5 offset 10")
        .all() as { id: string; admission_no: string; first_name: string; last_name: string }[]
    ).map((s): Student => ({ id: s.id, admissionNo: s.admission_no, name: `${s.first_name} ${s.last_name}`, heading: `${s.last_name}, ${s.first_name}` }));
    expect(students).toHaveLength(5);

    // The school server goes away; the office says so.
    const port = server.port;
    await server.close();
    await poll(() => status(page), 15_000).toBe('offline · 0 pending');
    await shot(page, '02-offline');

    const plans: PaymentPlan[] = [
      { amountMinor: 2_000_00, method: 'cash' }, // more than she owes: the rest is credit
      { amountMinor: 1_000_00, method: 'mobile_money', reference: 'QK7Z4M2P9T' },
      { amountMinor: 1_200_00, method: 'bank_transfer', reference: 'KCB-558120', spread: true },
      { amountMinor: 450_00, method: 'cash' }, // voided later: taken against the wrong student
      { amountMinor: 700_00, method: 'cheque', reference: 'CHQ 000917' },
    ];
    const before: number[] = [];
    const receipts: string[] = [];
    let spreadParts: number[] = [];
    for (const [i, plan] of plans.entries()) {
      const student = students[i]!;
      before.push(await openStudent(page, student));
      expect(before[i]).toBeGreaterThan(plan.spread ? plan.amountMinor : 0);
      const recorded = await recordPayment(page, plan);
      receipts.push(recorded.receiptNo);
      if (plan.spread) spreadParts = recorded.spread;
      // The receipt number at once, the balance moved by the payment, one more change waiting.
      expect(receipts[i]).toMatch(new RegExp(`-${String(i + 1).padStart(6, '0')}$`));
      await poll(async () => balanceMinor((await page.getByTestId('student-balance').textContent())!)).toBe(before[i]! - plan.amountMinor);
      await poll(() => status(page)).toBe(`offline · ${i + 1} pending`);
      const row = page.getByTestId('payment-row').filter({ hasText: receipts[i]! });
      await poll(() => row.getByTestId('pending-badge').count()).toBe(1);
      if (plan.reference) await poll(() => row.textContent()).toContain(`Ref. ${plan.reference}`);
      await shot(page, `03-payment-${i + 1}-${plan.method}`);
    }
    expect(before[0]! - plans[0]!.amountMinor).toBeLessThan(0); // the overpayment is shown as credit
    await poll(() => page.getByTestId('duplicate-warning').count()).toBe(0);

    // The fourth payment was taken against the wrong student: she voids it with a reason.
    const voided = 3;
    await openStudent(page, students[voided]!);
    const wrongRow = page.getByTestId('payment-row').filter({ hasText: receipts[voided]! });
    await wrongRow.getByRole('button', { name: 'Void', exact: true }).click();
    const dialog = page.getByTestId('void-dialog');
    await dialog.getByLabel('Reason for void').fill('Taken against the wrong student');
    await shot(page, '04-void-dialog');
    await dialog.getByTestId('void-confirm').click();
    await poll(() => page.getByTestId('void-result').textContent()).toContain('Taken against the wrong student');
    await poll(() => wrongRow.getByTestId('voided-badge').textContent()).toBe('Voided');
    await poll(() => wrongRow.getByRole('button', { name: 'Void', exact: true }).count()).toBe(0);
    await poll(async () => balanceMinor((await page.getByTestId('student-balance').textContent())!)).toBe(before[voided]!);
    await poll(() => status(page)).toBe('offline · 6 pending');
    await wrongRow.scrollIntoViewIfNeeded();
    await shot(page, '05-voided');

    // The spread payment's receipt, checked on screen, then printed to PDF by Chromium.
    const spread = 2;
    await openStudent(page, students[spread]!);
    await page.getByTestId('payment-row').filter({ hasText: receipts[spread]! }).getByTestId('open-receipt').click();
    const receipt = page.getByTestId('receipt');
    await receipt.waitFor();
    await poll(() => receipt.getByRole('heading', { level: 1 }).textContent()).toBe(DEMO_SCHOOL.name);
    await poll(() => receipt.getByTestId('receipt-no').textContent()).toBe(receipts[spread]);
    await poll(() => receipt.textContent()).toContain(students[spread]!.name);
    await poll(() => receipt.getByTestId('receipt-amount').textContent()).toBe(money(plans[spread]!.amountMinor));
    const lines = await receipt.locator('.print-table tbody tr').allTextContents();
    expect(lines).toHaveLength(3);
    expect(lines[0]!.endsWith(money(spreadParts[0]!))).toBe(true);
    expect(lines[1]!.endsWith(money(spreadParts[1]!))).toBe(true);
    expect(lines[2]).toBe(`Carried forward as credit${money(plans[spread]!.amountMinor - spreadParts[0]! - spreadParts[1]!)}`);
    await poll(() => receipt.getByTestId('receipt-balance').textContent()).toBe(
      `Balance after this payment: Owes ${money(before[spread]! - plans[spread]!.amountMinor)}`,
    );
    await poll(() => receipt.textContent()).toContain(`Ref. ${plans[spread]!.reference}`);
    await poll(() => receipt.getByTestId('void-watermark').count()).toBe(0);
    await shot(page, '06-receipt');
    const pdfPath = join(shots, `receipt-${receipts[spread]}.pdf`);
    const pdf = await page.pdf({ path: pdfPath, preferCSSPageSize: true, printBackground: true });
    expect(isPdf(pdf)).toBe(true);
    expect(pdfPageCount(pdf)).toBe(1);
    await page.getByTestId('print-back').click();
    await poll(() => page.getByTestId('receipt').count()).toBe(0);

    // The cash-up: what she took, less the void, per method; the cash counted 50.00 short.
    await page.getByTestId('nav-bursary').click();
    await page.getByTestId('bursary-cashup').click();
    const cashup = page.getByTestId('cashup');
    const expected: Record<PaymentMethod, number> = { cash: 0, bank_transfer: 0, mobile_money: 0, cheque: 0, card: 0 };
    for (const [i, p] of plans.entries()) if (i !== voided) expected[p.method] += p.amountMinor;
    await poll(() => cashup.textContent()).toContain('from 4 payments');
    for (const method of Object.keys(expected) as PaymentMethod[]) {
      await poll(() => cashup.getByTestId(`expected-${method}`).textContent()).toBe(money(expected[method]));
    }
    await cashup.getByLabel('Counted cash').fill(major(expected.cash - 50_00));
    await cashup.getByLabel('Counted mobile money').fill(major(expected.mobile_money));
    await cashup.getByLabel('Counted bank transfer').fill(major(expected.bank_transfer));
    await cashup.getByLabel('Counted cheque').fill(major(expected.cheque));
    await cashup.getByLabel('Cash-up note').fill('50.00 missing from the cash box; counted twice');
    await poll(() => cashup.getByTestId('difference-cash').textContent()).toBe(`Short by ${money(50_00)}`);
    await poll(() => cashup.getByTestId('cashup-difference').textContent()).toBe(`Short by ${money(50_00)}`);
    await shot(page, '07-cashup-counted');
    await cashup.getByTestId('close-day').click();
    const confirm = page.getByTestId('cashup-confirm');
    await poll(() => confirm.textContent()).toContain(`Short by ${money(50_00)}`);
    await confirm.getByTestId('cashup-confirm-button').click();
    await poll(() => cashup.getByTestId('cashup-closed').count()).toBe(1);
    await poll(() => cashup.getByTestId('cashup-closed').textContent()).toContain(`${DEMO_STAFF.bursar.displayName}'s day on Bursar office was closed at`);
    await poll(() => cashup.getByTestId('cashup-difference').textContent()).toBe(`In all: Short by ${money(50_00)}`);
    await poll(() => page.getByTestId('past-cashup-row').count()).toBe(1);
    await poll(() => page.getByTestId('past-cashup-row').textContent()).toContain(`Short by ${money(50_00)}`);
    await poll(() => status(page)).toBe('offline · 7 pending');
    await cashup.getByTestId('cashup-closed').scrollIntoViewIfNeeded();
    await shot(page, '08-cashup-closed');

    // The day is closed: another payment is refused in the form and nothing is saved.
    await openStudent(page, students[0]!);
    await recordRefused(page);
    await poll(() => page.getByTestId('payment-error').textContent()).toMatch(/^You closed \d{4}-\d{2}-\d{2} on this computer at \d{2}:\d{2} \(cash-up\)/);
    await poll(() => page.getByTestId('last-receipt').count()).toBe(0);
    await poll(() => status(page)).toBe('offline · 7 pending');
    await shot(page, '09-closed-day-refusal');

    // The server comes back on the same address and database; the office pushes everything.
    server = await startSyncServer({ databaseUrl: database.url, port, liveTimeoutMs: 2000 });
    await poll(() => status(page), 20_000).toBe('online · 0 pending');
    await shot(page, '10-synced');

    const deviceId = office.core.device.device_id;
    const paymentIds = students.map((s, i) => office.core.store.sqlite.prepare('select id from payments where receipt_no = ? and student_id = ?').pluck().get(receipts[i], s.id) as string);
    const sql = new pg.Client({ connectionString: database.url });
    await sql.connect();
    try {
      const { rows: payments } = await sql.query(
        'select id, receipt_no, amount_minor::int as amount, method, reference, recorded_by_id from payments where device_id = $1 order by receipt_no',
        [deviceId],
      );
      expect(payments).toEqual(
        plans.map((p, i) => ({ id: paymentIds[i], receipt_no: receipts[i], amount: p.amountMinor, method: p.method, reference: p.reference ?? null, recorded_by_id: DEMO_STAFF.bursar.id })),
      );
      const { rows: voids } = await sql.query('select target_table, target_id, reason from voids where device_id = $1', [deviceId]);
      expect(voids).toEqual([{ target_table: 'payments', target_id: paymentIds[voided], reason: 'Taken against the wrong student' }]);
      const { rows: cashUps } = await sql.query('select staff_id, expected, counted, difference_minor::int as difference from cash_ups where device_id = $1', [deviceId]);
      expect(cashUps).toEqual([{ staff_id: DEMO_STAFF.bursar.id, expected, counted: { ...expected, cash: expected.cash - 50_00 }, difference: -50_00 }]);
    } finally {
      await sql.end();
    }

    // A second office computer, enrolled now with the demo code, shows the same.
    const other = await device('Head office', DEMO_STAFF.admin);
    for (const [i, student] of students.entries()) {
      const expectedBalance = i === voided ? before[i]! : before[i]! - plans[i]!.amountMinor;
      await openStudent(other.page, student);
      await poll(async () => balanceMinor((await other.page.getByTestId('student-balance').textContent())!)).toBe(expectedBalance);
      const row = other.page.getByTestId('payment-row').filter({ hasText: receipts[i]! });
      await poll(() => row.count()).toBe(1);
      await poll(() => row.getByTestId('voided-badge').count()).toBe(i === voided ? 1 : 0);
      await poll(() => row.getByTestId('pending-badge').count()).toBe(0);
    }
    await openStudent(other.page, students[voided]!);
    await poll(() => other.page.getByTestId('void-reason').textContent()).toBe('Taken against the wrong student');
    await other.page.getByTestId('payment-row').filter({ hasText: receipts[voided]! }).scrollIntoViewIfNeeded();
    await shot(other.page, '11-second-device');
  });
});
