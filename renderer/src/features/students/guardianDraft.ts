import { PHONE_PATTERN, type GuardianFields } from '../../../../shared/domain/students';

export interface GuardianDraft {
  name: string;
  phone: string;
  alt_phone: string;
  email: string;
  address: string;
}
export type GuardianField = keyof GuardianDraft | 'relationship';

export const EMPTY_GUARDIAN: GuardianDraft = { name: '', phone: '', alt_phone: '', email: '', address: '' };

export function guardianDraftFrom(v: GuardianFields): GuardianDraft {
  return { name: v.name, phone: v.phone ?? '', alt_phone: v.alt_phone ?? '', email: v.email ?? '', address: v.address ?? '' };
}

const orNull = (s: string) => (s.trim() === '' ? null : s.trim());

/** The guardian's details as core takes them, or what to fix first. */
export function checkGuardianDraft(d: GuardianDraft, relationship: string): { values: GuardianFields | null; problems: Partial<Record<GuardianField, string>> } {
  const problems: Partial<Record<GuardianField, string>> = {};
  if (!d.name.trim()) problems.name = "Enter the guardian's name.";
  for (const f of ['phone', 'alt_phone'] as const) {
    if (d[f].trim() && !PHONE_PATTERN.test(d[f].trim())) problems[f] = 'A phone number is digits, optionally starting with +, e.g. +254 712 345 678.';
  }
  if (d.email.trim() && !/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(d.email.trim())) problems.email = 'That email address is not valid.';
  if (!relationship.trim()) problems.relationship = 'Say how the guardian is related, e.g. "Mother".';
  if (Object.keys(problems).length > 0) return { values: null, problems };
  return { values: { name: d.name.trim(), phone: orNull(d.phone), alt_phone: orNull(d.alt_phone), email: orNull(d.email), address: orNull(d.address) }, problems };
}

/** The box a core finding is about ("details.phone" → phone). */
export function guardianFieldOf(path: string): GuardianField | undefined {
  const f = path.replace(/^details\./, '');
  return f in EMPTY_GUARDIAN || f === 'relationship' ? (f as GuardianField) : undefined;
}
