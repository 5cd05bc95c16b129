// Expenses on the device: recorded by one person, approved or rejected once by another, never by
// the person who recorded it, and not once voided; refusals change nothing.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { call, openTestDevice, refusal, signInAs, staffFor, storeCounts, type TestDevice } from '../support/local-device.js';
import type { ApiInput } from '../../shared/api/contract.js';

let device: TestDevice;
beforeEach(async () => {
  device = await openTestDevice();
});
afterEach(() => device.dispose());

const fuel = (patch: Partial<ApiInput<'expenses.record'>> = {}): ApiInput<'expenses.record'> => ({
  category: 'Transport',
  payee: 'Total Energies Kitengela',
  description: 'Diesel for the school bus',
  amountMinor: 850_000,
  spentOn: '2026-03-02',
  attachments: ['receipt-0423.pdf'],
  ...patch,
});

describe('expenses.record', () => {
  it('records an expense as a pending ledger row with its author', async () => {
    const item = await call(device.core, 'expenses.record', fuel({ method: 'mobile_money', reference: 'QK7PL2M9XZ' }));
    const bursar = staffFor('bursar');
    expect(item).toMatchObject({
      category: 'Transport',
      payee: 'Total Energies Kitengela',
      amountMinor: 850_000,
      method: 'mobile_money',
      reference: 'QK7PL2M9XZ',
      spentOn: '2026-03-02',
      attachments: ['receipt-0423.pdf'],
      recordedBy: 'Bursar Person',
      recordedById: bursar.id,
      status: 'pending',
      decidedBy: null,
      pending: true,
    });
    const row = device.core.store.sqlite.prepare('select * from expenses').get() as Record<string, unknown>;
    expect(row).toMatchObject({ id: item.id, recorded_by_id: bursar.id, device_id: device.core.device.device_id, attachments: '["receipt-0423.pdf"]' });
    const outbox = device.core.store.sqlite.prepare("select author_id, args from outbox where name = 'expenses.record'").get() as { author_id: string; args: string };
    expect(outbox.author_id).toBe(bursar.id);
    expect(JSON.parse(outbox.args)).toMatchObject({ id: item.id, currency: 'KES', amountMinor: 850_000 });
  });

  it('refuses bad input and people without the permission, saving nothing', async () => {
    const before = storeCounts(device.core);
    expect(await refusal(device.core, 'expenses.record', fuel({ attachments: ['../../etc/passwd'] }))).toMatchObject({ code: 'invalid_input', message: expect.stringMatching(/without folders/) });
    expect(await refusal(device.core, 'expenses.record', fuel({ method: 'cheque' }))).toMatchObject({ code: 'invalid_input', issues: [{ path: 'reference' }] });
    expect(await refusal(device.core, 'expenses.record', fuel({ payee: ' ' }))).toMatchObject({ code: 'invalid_input', message: expect.stringMatching(/Say who was paid/) });
    expect(await refusal(device.core, 'expenses.record', fuel({ amountMinor: 0 }))).toMatchObject({ code: 'invalid_input' });
    expect(await refusal(device.core, 'expenses.record', fuel({ spentOn: '2026-02-30' }))).toMatchObject({ code: 'invalid_input' });
    expect(storeCounts(device.core)).toEqual(before);
    await signInAs(device.core, 'head_teacher');
    const signedIn = storeCounts(device.core);
    expect(await refusal(device.core, 'expenses.record', fuel())).toMatchObject({ code: 'forbidden' });
    expect(storeCounts(device.core)).toEqual(signedIn);
  });
});

describe('expenses.decide', () => {
  it('lets a second person approve once; the recorder, a second decision and a voided expense are refused', async () => {
    const first = await call(device.core, 'expenses.record', fuel());
    const second = await call(device.core, 'expenses.record', fuel({ payee: 'Naivas', category: 'Kitchen', amountMinor: 12_000 }));
    expect(await refusal(device.core, 'expenses.decide', { expenseId: first.id, decision: 'approved' })).toMatchObject({ code: 'forbidden' });

    await signInAs(device.core, 'head_teacher');
    const approved = await call(device.core, 'expenses.decide', { expenseId: first.id, decision: 'approved', note: 'Receipt seen' });
    expect(approved).toMatchObject({ id: first.id, status: 'approved', decidedBy: 'Head teacher Person', decisionNote: 'Receipt seen', pending: true });
    const approval = device.core.store.sqlite.prepare('select * from expense_approvals').get() as Record<string, unknown>;
    expect(approval).toMatchObject({ expense_id: first.id, decision: 'approved', decided_by_id: staffFor('head_teacher').id });

    const before = storeCounts(device.core);
    expect(await refusal(device.core, 'expenses.decide', { expenseId: first.id, decision: 'rejected' })).toMatchObject({
      code: 'conflict',
      message: expect.stringMatching(/^This expense to Total Energies Kitengela was already approved by Head teacher Person on \d{4}-\d{2}-\d{2}\.$/),
    });
    expect(await refusal(device.core, 'expenses.decide', { expenseId: '01900000-0000-7000-8000-00000000abcd', decision: 'approved' })).toMatchObject({ code: 'not_found' });
    expect(storeCounts(device.core)).toEqual(before);

    // The administrator, who may both record and approve, still cannot approve their own.
    await signInAs(device.core, 'administrator');
    const own = await call(device.core, 'expenses.record', fuel({ payee: 'Kenya Power', category: 'Utilities' }));
    const beforeOwn = storeCounts(device.core);
    expect(await refusal(device.core, 'expenses.decide', { expenseId: own.id, decision: 'approved' })).toMatchObject({
      code: 'forbidden',
      message: 'You recorded this expense to Kenya Power, so someone else must approve or reject it.',
    });
    await call(device.core, 'ledger.void', { targetTable: 'expenses', targetId: second.id, reason: 'Recorded twice' });
    expect(await refusal(device.core, 'expenses.decide', { expenseId: second.id, decision: 'rejected' })).toMatchObject({
      code: 'conflict',
      message: 'This expense to Naivas was voided (Recorded twice); there is nothing to approve or reject.',
    });
    expect(storeCounts(device.core)).toEqual({ ...beforeOwn, voids: beforeOwn.voids! + 1, outbox: beforeOwn.outbox! + 1, outbox_rows: beforeOwn.outbox_rows! + 1 });

    await signInAs(device.core, 'head_teacher');
    expect(await call(device.core, 'expenses.decide', { expenseId: own.id, decision: 'rejected', note: 'Not in the budget' })).toMatchObject({ status: 'rejected', decisionNote: 'Not in the budget' });
  });

  it('is for people who may approve expenses only', async () => {
    const item = await call(device.core, 'expenses.record', fuel());
    expect(await refusal(device.core, 'expenses.decide', { expenseId: item.id, decision: 'approved' })).toMatchObject({ code: 'forbidden' });
    await signInAs(device.core, 'auditor');
    expect(await refusal(device.core, 'expenses.decide', { expenseId: item.id, decision: 'approved' })).toMatchObject({ code: 'forbidden', message: expect.not.stringMatching(/You recorded/) });
  });
});
