import type { FeeStructureItem } from '../../../../../shared/domain/fees';
import type { FeeStructureView } from '../../../../../shared/domain/bursary-views';
import { formatMinor, parseMajorToMinor } from '../../../../../shared/money';
import { formatEditable } from '../../../lib/money';

export interface InstalmentDraft {
  dueOn: string;
  amount: string;
}

/** One fee of the structure as typed. A single instalment is the whole fee, due on its date. */
export interface ItemDraft {
  categoryId: string;
  amount: string;
  instalments: InstalmentDraft[];
}

export interface StructureDraft {
  className: string;
  term: string;
  items: ItemDraft[];
}

export const emptyItem = (dueOn: string): ItemDraft => ({ categoryId: '', amount: '', instalments: [{ dueOn, amount: '' }] });

/** A saved structure back into the form, for editing. */
export function draftFromView(s: FeeStructureView, currency: string): StructureDraft {
  return {
    className: s.className,
    term: s.term,
    items: s.items.map((i) => ({
      categoryId: i.categoryId,
      amount: formatEditable(i.amountMinor, currency),
      instalments: i.instalments.map((x) => ({ dueOn: x.dueOn, amount: i.instalments.length > 1 ? formatEditable(x.amountMinor, currency) : '' })),
    })),
  };
}

/** The fee split into `count` instalments as evenly as whole minor units allow (the first ones take the remainder). */
export function splitEvenly(totalMinor: number, count: number): number[] {
  const base = Math.floor(totalMinor / count);
  const rest = totalMinor - base * count;
  return Array.from({ length: count }, (_, i) => base + (i < rest ? 1 : 0));
}

export interface ItemProblems {
  category?: string;
  amount?: string;
  /** Per instalment row. */
  instalments: (string | undefined)[];
  /** About the instalments together (they must add up, dates in order). */
  split?: string;
}

export interface DraftCheck {
  items: FeeStructureItem[];
  problems: ItemProblems[];
  className?: string;
  term?: string;
  ok: boolean;
}

/** Checks the form and builds what fees.saveStructure takes, saying what to fix next to each box. */
export function checkDraft(d: StructureDraft, currency: string): DraftCheck {
  const out: DraftCheck = { items: [], problems: [], ok: true };
  if (!d.className.trim()) out.className = 'Name the class, e.g. "Grade 4".';
  if (!d.term.trim()) out.term = 'Name the term, e.g. "Term 1 2027".';
  const seen = new Set<string>();
  for (const item of d.items) {
    const p: ItemProblems = { instalments: [] };
    if (!item.categoryId) p.category = 'Choose a fee category.';
    else if (seen.has(item.categoryId)) p.category = 'This category is already in the structure: put the whole fee on one line.';
    seen.add(item.categoryId);
    const amount = parseMajorToMinor(item.amount, currency);
    if (!amount.ok) p.amount = amount.error;
    const single = item.instalments.length === 1;
    const instalments = item.instalments.map((x, n) => {
      if (!x.dueOn) p.instalments[n] = 'Choose the due date.';
      if (single) return { dueOn: x.dueOn, amountMinor: amount.ok ? amount.minor : 0 };
      const part = parseMajorToMinor(x.amount, currency);
      if (!part.ok) p.instalments[n] = p.instalments[n] ?? part.error;
      return { dueOn: x.dueOn, amountMinor: part.ok ? part.minor : 0 };
    });
    if (!single && amount.ok && p.instalments.every((x) => x === undefined)) {
      const sum = instalments.reduce((s, x) => s + x.amountMinor, 0);
      if (sum !== amount.minor) p.split = `The instalments add up to ${formatMinor(sum, currency)}, but the fee is ${formatMinor(amount.minor, currency)}.`;
      else if (instalments.some((x, n) => n > 0 && instalments[n - 1]!.dueOn >= x.dueOn)) p.split = 'Put the instalments in date order, one per date.';
    }
    const bad = p.category || p.amount || p.split || p.instalments.some(Boolean);
    if (bad) out.ok = false;
    out.problems.push(p);
    if (amount.ok) out.items.push({ categoryId: item.categoryId, amountMinor: amount.minor, instalments });
  }
  if (d.items.length === 0 || out.className || out.term) out.ok = false;
  return out;
}
