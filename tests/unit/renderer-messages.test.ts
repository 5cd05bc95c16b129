// The Messages screen's own logic, without a window: choosing recipients, the form's checks said
// under their boxes, core's findings mapped to the same boxes, read receipts in words, and the
// unread count on the Messages tab.
import { describe, expect, it } from 'vitest';
import { checkMessageDraft, chosenText, messageFieldOf, readText, recipientKey, toggledRecipient } from '../../renderer/src/features/messages/messageDraft.js';
import { badgeText } from '../../renderer/src/features/nav/counts.js';
import { SendMessageInput, type Recipient } from '../../shared/domain/message-views.js';

const grace: Recipient = { kind: 'staff', id: '0190a1b2-0000-7000-8000-000000000001' };
const teachers: Recipient = { kind: 'role', id: '0190a1b2-0000-7000-8000-000000000002' };
const all: Recipient = { kind: 'all' };

describe('choosing who a message goes to', () => {
  it('ticks and unticks a person or group once, whatever else is chosen', () => {
    let chosen = toggledRecipient(new Map(), grace);
    chosen = toggledRecipient(chosen, teachers);
    chosen = toggledRecipient(chosen, { kind: 'staff', id: grace.id });
    expect([...chosen.keys()]).toEqual([recipientKey(teachers)]);
    expect(recipientKey(all)).toBe('all');
    // A person and a role with the same id are different choices.
    expect(recipientKey({ kind: 'role', id: grace.id })).not.toBe(recipientKey(grace));
  });

  it('does not change the map it was given (React sees a new one)', () => {
    const before = new Map([[recipientKey(grace), grace]]);
    const after = toggledRecipient(before, all);
    expect(before.size).toBe(1);
    expect(after.size).toBe(2);
  });

  it('says who is chosen under the list, shortening a long choice', () => {
    const label = (r: Recipient) => (r.kind === 'all' ? 'All staff' : r.kind === 'role' ? 'All teachers' : 'Grace Wanjiru');
    expect(chosenText(new Map(), label)).toBe('Nobody chosen yet.');
    expect(chosenText(new Map<string, Recipient>([[recipientKey(grace), grace], [recipientKey(teachers), teachers]]), label)).toBe('To Grace Wanjiru, All teachers.');
    const many = new Map<string, Recipient>();
    for (let i = 0; i < 6; i++) many.set(`staff:${i}`, { kind: 'staff', id: `0190a1b2-0000-7000-8000-00000000001${i}` });
    expect(chosenText(many, () => 'Someone')).toBe('To Someone, Someone, Someone and 3 more.');
  });
});

describe("the form's checks", () => {
  it('names each box that is wrong and sends nothing', () => {
    const r = checkMessageDraft(new Map(), '   ', 'x'.repeat(5001));
    expect(r.message).toBeNull();
    expect(r.problems).toEqual({
      to: 'Tick at least one person or group to send it to.',
      subject: 'Give the message a subject.',
      body: 'A message can have at most 5,000 characters; this one has 5,001.',
    });
  });

  it('refuses a subject over 150 characters, saying how long it is', () => {
    const r = checkMessageDraft(new Map([[recipientKey(all), all]]), 's'.repeat(151), '');
    expect(r.problems).toEqual({ subject: 'A subject can have at most 150 characters; this one has 151.' });
  });

  it('passes a message core accepts: the subject trimmed, an empty body allowed, every recipient once', () => {
    const chosen = toggledRecipient(toggledRecipient(new Map(), grace), teachers);
    const r = checkMessageDraft(chosen, '  Staff meeting at 3  ', '');
    expect(r.problems).toEqual({});
    expect(r.message).toEqual({ to: [grace, teachers], subject: 'Staff meeting at 3', body: '' });
    expect(SendMessageInput.safeParse(r.message).success).toBe(true);
  });

  it('agrees with core on what it refuses (no form check lets through what core would refuse)', () => {
    for (const [to, subject, body] of [
      [[], 'Hi', ''],
      [[all], '', ''],
      [[all], 'x'.repeat(151), ''],
      [[all], 'Hi', 'y'.repeat(5001)],
    ] as [Recipient[], string, string][]) {
      const chosen = new Map(to.map((r) => [recipientKey(r), r] as const));
      expect(checkMessageDraft(chosen, subject, body).message).toBeNull();
      expect(SendMessageInput.safeParse({ to, subject, body }).success).toBe(false);
    }
  });

  it("puts core's findings under the box they are about", () => {
    expect(messageFieldOf('to')).toBe('to');
    expect(messageFieldOf('to.0.id')).toBe('to');
    expect(messageFieldOf('subject')).toBe('subject');
    expect(messageFieldOf('body')).toBe('body');
    expect(messageFieldOf('')).toBeUndefined();
    expect(messageFieldOf('sender')).toBeUndefined();
  });
});

describe('what the lists say', () => {
  it('says who has read a sent message', () => {
    expect(readText(0, 3)).toBe('Not read yet');
    expect(readText(1, 3)).toBe('Read by 1 of 3');
    expect(readText(3, 3)).toBe('Read by all 3');
    expect(readText(1, 1)).toBe('Read');
    expect(readText(1200, 1500)).toBe('Read by 1,200 of 1,500');
  });

  it('shows the unread count on the Messages tab in words for screen readers, and nothing at none', () => {
    expect(badgeText('messages', 0)).toBeNull();
    expect(badgeText('messages', 3)).toBe('3 unread');
    expect(badgeText('messages', 1234)).toBe('1,234 unread');
    expect(badgeText('attention', 1)).toBe('1 change waiting');
    expect(badgeText('attention', 2)).toBe('2 changes waiting');
  });
});
