import type { Recipient, SendMessageInput } from '../../../../shared/domain/message-views';

export type MessageField = 'to' | 'subject' | 'body';

export const SUBJECT_MAX = 150;
export const BODY_MAX = 5000;

/** One key per recipient, so ticking the same person or group twice adds them once. */
export const recipientKey = (r: Recipient): string => (r.kind === 'all' ? 'all' : `${r.kind}:${r.id}`);

/** The chosen recipients with `r` ticked or unticked (a new map: React sees the change). */
export function toggledRecipient(chosen: ReadonlyMap<string, Recipient>, r: Recipient): Map<string, Recipient> {
  const next = new Map(chosen);
  if (next.has(recipientKey(r))) next.delete(recipientKey(r));
  else next.set(recipientKey(r), r);
  return next;
}

/** The form's own checks, said under the box they are about; the message only when all pass. */
export function checkMessageDraft(chosen: ReadonlyMap<string, Recipient>, subject: string, body: string): { message: SendMessageInput | null; problems: Partial<Record<MessageField, string>> } {
  const problems: Partial<Record<MessageField, string>> = {};
  if (chosen.size === 0) problems.to = 'Tick at least one person or group to send it to.';
  if (!subject.trim()) problems.subject = 'Give the message a subject.';
  else if (subject.trim().length > SUBJECT_MAX) problems.subject = `A subject can have at most ${SUBJECT_MAX} characters; this one has ${subject.trim().length}.`;
  if (body.length > BODY_MAX) problems.body = `A message can have at most 5,000 characters; this one has ${body.length.toLocaleString('en')}.`;
  if (Object.keys(problems).length > 0) return { message: null, problems };
  return { message: { to: [...chosen.values()], subject: subject.trim(), body }, problems };
}

/** The box a core finding is about ("to.0.id" → to). */
export function messageFieldOf(path: string): MessageField | undefined {
  const head = path.split('.')[0];
  return head === 'to' || head === 'subject' || head === 'body' ? head : undefined;
}

/** "Sending to 3 people and All teachers" under the recipient list, so the choice is seen at once. */
export function chosenText(chosen: ReadonlyMap<string, Recipient>, labelOf: (r: Recipient) => string): string {
  if (chosen.size === 0) return 'Nobody chosen yet.';
  const names = [...chosen.values()].map(labelOf);
  return names.length <= 3 ? `To ${names.join(', ')}.` : `To ${names.slice(0, 3).join(', ')} and ${(names.length - 3).toLocaleString('en')} more.`;
}

/** A sent message's receipts in words: "Read by all 3", "Read by 1 of 3", "Not read yet". */
export function readText(readCount: number, recipientCount: number): string {
  if (readCount === 0) return 'Not read yet';
  if (readCount >= recipientCount) return recipientCount === 1 ? 'Read' : `Read by all ${recipientCount.toLocaleString('en')}`;
  return `Read by ${readCount.toLocaleString('en')} of ${recipientCount.toLocaleString('en')}`;
}
