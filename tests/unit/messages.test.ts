// Messages between staff on a real device store: compose (people, a role, all staff), the inbox
// index filled by triggers (local sends and pulled messages alike), unread counts, opening marks
// read once, read receipts for the sender, refusals that save nothing, and the inbox's plan.
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { call, openTestDevice, pullRows, refusal, signInAs, staffFor, storeCounts, TEST_ROLES, TEST_STAFF, type TestDevice } from '../support/local-device.js';
import { inboxPageQuery, sentPageQuery } from '../../electron/core/queries/messages.js';
import { groupLabel, preview } from '../../shared/domain/message-views.js';
import type { MessageRow } from '../../shared/domain/messages.js';
import { uuidv7 } from '../../shared/ids.js';

const roleId = (key: string) => TEST_ROLES.find((r) => r.key === key)!.id;
// Signing in offline queues logins.record: only the messages' own mutations are looked at.
const outboxNames = (d: TestDevice) => d.core.store.sqlite.prepare("select name from outbox where name like 'messages.%' order by seq").pluck().all() as string[];

describe('messages', () => {
  let d: TestDevice;
  beforeEach(async () => {
    d = await openTestDevice({ signInAs: 'head_teacher' });
  });
  afterEach(() => d.dispose());

  it('offers the staff list and groups (roles with members besides the writer, and all staff)', async () => {
    const choices = await call(d.core, 'messages.recipients', {});
    expect(choices.staff.map((s) => s.name)).toEqual([...TEST_STAFF].map((s) => s.display_name).sort());
    expect(choices.groups[0]).toEqual({ kind: 'all', id: null, label: 'All staff', count: TEST_STAFF.length - 1 });
    expect(choices.groups.map((g) => g.label)).toContain('All teachers');
    // The writer is the only head teacher: no "All head teachers" group to write to.
    expect(choices.groups.map((g) => g.label)).not.toContain('All head teachers');
  });

  it('sends to a person: shown in Sent at once, queued as messages.send, in the recipient’s inbox, unread, bold until opened once', async () => {
    const teacher = staffFor('teacher');
    const sent = await call(d.core, 'messages.send', { to: [{ kind: 'staff', id: teacher.id }], subject: '  Staff meeting  ', body: 'Friday at 3 in the library.\nBring the registers.' });
    expect(sent).toMatchObject({ toLabel: teacher.display_name, subject: 'Staff meeting', recipientCount: 1, readCount: 0 });
    expect(outboxNames(d)).toEqual(['messages.send']);
    const args = JSON.parse(d.core.store.sqlite.prepare("select args from outbox where name = 'messages.send'").pluck().get() as string);
    expect(args).toMatchObject({ id: sent.id, toStaffIds: [teacher.id], toLabel: teacher.display_name, subject: 'Staff meeting' });
    expect((await call(d.core, 'messages.sent', {})).rows).toEqual([sent]);
    // Sender's own inbox is empty: only the signed-in person's messages.
    expect((await call(d.core, 'messages.inbox', {})).rows).toEqual([]);

    await signInAs(d.core, 'teacher');
    expect(await call(d.core, 'messages.unreadCount', {})).toEqual({ count: 1 });
    const inbox = await call(d.core, 'messages.inbox', {});
    expect(inbox.rows).toEqual([{ id: sent.id, senderName: staffFor('head_teacher').display_name, toLabel: teacher.display_name, subject: 'Staff meeting', preview: 'Friday at 3 in the library. Bring the registers.', sentAt: sent.sentAt, read: false }]);
    const opened = await call(d.core, 'messages.open', { id: sent.id });
    expect(opened).toMatchObject({ body: 'Friday at 3 in the library.\nBring the registers.', receipts: null });
    expect(await call(d.core, 'messages.unreadCount', {})).toEqual({ count: 0 });
    expect((await call(d.core, 'messages.inbox', {})).rows[0]!.read).toBe(true);
    await call(d.core, 'messages.open', { id: sent.id });
    expect(outboxNames(d)).toEqual(['messages.send', 'messages.read']);

    await signInAs(d.core, 'head_teacher');
    const [row] = (await call(d.core, 'messages.sent', {})).rows;
    expect(row).toMatchObject({ recipientCount: 1, readCount: 1 });
    const mine = await call(d.core, 'messages.open', { id: sent.id });
    expect(mine.receipts).toEqual([{ staffId: teacher.id, name: teacher.display_name, readAt: expect.any(String) }]);
    // Opening your own sent message is not a read.
    expect(outboxNames(d)).toEqual(['messages.send', 'messages.read']);
  });

  it('expands a role and all staff to their active members (not the writer), once each, and labels them', async () => {
    const teachers = await call(d.core, 'messages.send', { to: [{ kind: 'role', id: roleId('teacher') }, { kind: 'staff', id: staffFor('teacher').id }], subject: 'Marks', body: '' });
    expect(teachers).toMatchObject({ toLabel: 'All teachers', recipientCount: 1 });
    const all = await call(d.core, 'messages.send', { to: [{ kind: 'all' }, { kind: 'staff', id: staffFor('bursar').id }], subject: 'Closing day', body: 'Term ends on Friday.' });
    expect(all).toMatchObject({ toLabel: 'All staff', recipientCount: TEST_STAFF.length - 1 });
    const ids = JSON.parse(d.core.store.sqlite.prepare('select to_staff_ids from messages where id = ?').pluck().get(all.id) as string) as string[];
    expect(new Set(ids)).toEqual(new Set(TEST_STAFF.filter((s) => s.username !== 'head.teacher').map((s) => s.id)));
    expect((await call(d.core, 'messages.sent', {})).rows.map((r) => r.subject)).toEqual(['Closing day', 'Marks']);
    await signInAs(d.core, 'bursar');
    expect(await call(d.core, 'messages.unreadCount', {})).toEqual({ count: 1 });
  });

  it('refuses no recipients, unknown or disabled staff, an empty group, an empty or long subject, saving nothing', async () => {
    const before = storeCounts(d.core);
    const cases: [Parameters<typeof call<'messages.send'>>[2], RegExp][] = [
      [{ to: [], subject: 'Hi', body: '' }, /Choose at least one recipient/],
      [{ to: [{ kind: 'staff', id: uuidv7() }], subject: 'Hi', body: '' }, /not on the staff list on this computer/],
      [{ to: [{ kind: 'staff', id: 'not-an-id' }], subject: 'Hi', body: '' }, /Choose a person from the staff list/],
      [{ to: [{ kind: 'role', id: uuidv7() }], subject: 'Hi', body: '' }, /that group is not on this computer/],
      [{ to: [{ kind: 'role', id: roleId('head_teacher') }], subject: 'Hi', body: '' }, /no one else is in "All head teachers"/],
      [{ to: [{ kind: 'all' }], subject: '   ', body: 'x' }, /Give the message a subject/],
      [{ to: [{ kind: 'all' }], subject: 'x'.repeat(151), body: '' }, /at most 150 characters/],
      [{ to: [{ kind: 'all' }], subject: 'Long', body: 'x'.repeat(5001) }, /at most 5,000 characters/],
    ];
    for (const [input, message] of cases) expect((await refusal(d.core, 'messages.send', input)).message).toMatch(message);
    d.core.store.sqlite.prepare('update staff set active = 0 where id = ?').run(staffFor('auditor').id);
    expect((await refusal(d.core, 'messages.send', { to: [{ kind: 'staff', id: staffFor('auditor').id }], subject: 'Hi', body: '' })).message).toMatch(/account is disabled/);
    expect(storeCounts(d.core)).toEqual(before);
    expect(d.core.store.sqlite.prepare('select count(*) from messages').pluck().get()).toBe(0);
  });

  it('shows only the signed-in person’s messages: another’s message cannot be opened', async () => {
    const sent = await call(d.core, 'messages.send', { to: [{ kind: 'staff', id: staffFor('teacher').id }], subject: 'Private', body: 'For the teacher' });
    await signInAs(d.core, 'registrar');
    expect((await refusal(d.core, 'messages.open', { id: sent.id })).message).toMatch(/not on this computer for you/);
    expect((await call(d.core, 'messages.inbox', {})).rows).toEqual([]);
    expect(await call(d.core, 'messages.unreadCount', {})).toEqual({ count: 0 });
  });

  it('fills the inbox from pulled messages and read receipts, whichever arrives first', async () => {
    const teacher = staffFor('teacher');
    const msg = (i: number, to: string[]): MessageRow => ({
      id: uuidv7(),
      sender_id: staffFor('registrar').id,
      sender_name: staffFor('registrar').display_name,
      to_staff_ids: to,
      to_label: 'All teachers',
      subject: `Notice ${i}`,
      body: 'b',
      sent_at: `2026-11-2${i}T08:00:00.000Z`,
      device_id: uuidv7(),
    });
    const a = msg(1, [teacher.id]);
    const b = msg(2, [teacher.id, staffFor('bursar').id]);
    // The teacher's receipt for b arrives before b itself (a fresh snapshot streams tables in any order).
    await pullRows(d.core, 'message_reads', [{ id: uuidv7(), message_id: b.id, staff_id: teacher.id, read_at: '2026-11-22T09:00:00.000Z' }]);
    await pullRows(d.core, 'messages', [a, b]);
    await pullRows(d.core, 'messages', [a]); // the same change again changes nothing
    await signInAs(d.core, 'teacher');
    const inbox = await call(d.core, 'messages.inbox', { limit: 1 });
    expect(inbox.rows.map((r) => [r.subject, r.read])).toEqual([['Notice 2', true]]);
    const rest = await call(d.core, 'messages.inbox', { after: inbox.next, limit: 1 });
    expect(rest).toEqual({ rows: [expect.objectContaining({ subject: 'Notice 1', read: false })], next: null });
    expect(await call(d.core, 'messages.unreadCount', {})).toEqual({ count: 1 });
  });

  it('words groups and previews', () => {
    expect(groupLabel('Teacher')).toBe('All teachers');
    expect(groupLabel('Head teacher')).toBe('All head teachers');
    expect(preview('  a\n\n b ')).toBe('a b');
    expect(preview('x'.repeat(300))).toHaveLength(120);
  });
});

describe('inbox and sent query plans', () => {
  let big: TestDevice;
  beforeAll(async () => {
    big = await openTestDevice({ signInAs: null });
    const rows: MessageRow[] = [];
    for (let i = 0; i < 3000; i++) {
      const to = TEST_STAFF.filter((_, j) => (i + j) % 3 === 0).map((s) => s.id);
      rows.push({ id: uuidv7(), sender_id: TEST_STAFF[i % TEST_STAFF.length]!.id, sender_name: 'S', to_staff_ids: to.length ? to : [TEST_STAFF[0]!.id], to_label: 'x', subject: `m${i}`, body: 'b', sent_at: new Date(Date.UTC(2026, 0, 1) + i * 60_000).toISOString(), device_id: uuidv7() });
    }
    await pullRows(big.core, 'messages', rows);
  });
  afterAll(() => big.dispose());

  const plan = (q: { compile(): { sql: string; parameters: readonly unknown[] } }) => {
    const c = q.compile();
    return (big.core.store.sqlite.prepare(`explain query plan ${c.sql}`).all(...c.parameters) as { detail: string }[]).map((r) => r.detail);
  };

  for (const analyzed of [false, true]) {
    it(`the inbox walks the person's own index rows in order${analyzed ? ' (after ANALYZE)' : ''}; messages by primary key; Sent by the sender index`, () => {
      if (analyzed) big.core.store.sqlite.exec('analyze');
      const { db } = big.core.store;
      for (const after of [null, { sentAt: '2026-01-02T00:00:00.000Z', id: 'z' }]) {
        const inbox = plan(inboxPageQuery(db, TEST_STAFF[0]!.id, after, 50));
        expect(inbox[0]).toMatch(/^SEARCH i USING PRIMARY KEY \(staff_id=\?/);
        if (after) expect(inbox[0]).toContain('(sent_at,message_id)<(?,?)');
        expect(inbox[1]).toMatch(/^SEARCH m USING INDEX sqlite_autoindex_messages_1 \(id=\?\)/);
        expect(inbox.join('\n')).not.toMatch(/TEMP B-TREE|^SCAN/m);
        const sent = plan(sentPageQuery(db, TEST_STAFF[0]!.id, after, 50));
        expect(sent[0]).toMatch(/^SEARCH m USING INDEX messages_by_sender \(sender_id=\?/);
        expect(sent.join('\n')).not.toMatch(/TEMP B-TREE|^SCAN/m);
      }
      const count = big.core.store.sqlite.prepare('explain query plan select count(*) from message_inbox where staff_id = ? and read_at is null').all(TEST_STAFF[0]!.id) as { detail: string }[];
      expect(count.map((r) => r.detail)).toEqual([expect.stringMatching(/^SEARCH message_inbox USING (PRIMARY KEY|(COVERING )?INDEX message_inbox_unread) \(staff_id=\?/)]);
    });
  }
});
