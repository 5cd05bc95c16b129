// How ledger entries are named to people, the same on the statement, the receipt and the lists.

const METHOD_LABELS: Record<string, string> = {
  cash: 'cash',
  bank_transfer: 'bank transfer',
  mobile_money: 'mobile money',
  cheque: 'cheque',
  card: 'card',
};

export const methodLabel = (method: string): string => METHOD_LABELS[method] ?? method;

/** "Tuition (Term 3 2026, due 2026-08-31)", "Lunch: trips (due 2026-08-31)". */
export function chargeLabel(c: { category: string | null; description: string; term: string | null; dueOn: string }): string {
  const what = `${c.category ?? 'Fee'}${c.description ? `: ${c.description}` : ''}`;
  return `${what} (${c.term ? `${c.term}, ` : ''}due ${c.dueOn})`;
}

/** "Scholarship 25% of Tuition (Term 1 2027): bright student", "Discount on all fees: sibling". */
export function discountLabel(d: { kind: string; percentBp: number | null; category: string | null; term: string | null; reason: string }): string {
  const kind = d.kind === 'scholarship' ? 'Scholarship' : 'Discount';
  const share = d.percentBp === null ? 'on' : `${d.percentBp / 100}% of`;
  return `${kind} ${share} ${d.category ?? 'all fees'}${d.term ? ` (${d.term})` : ''}: ${d.reason}`;
}

export function refundLabel(r: { method: string; reference: string | null; reason: string }): string {
  return `Refund (${methodLabel(r.method)}${r.reference ? ` ${r.reference}` : ''}): ${r.reason}`;
}

export function paymentLabel(p: { receiptNo: string; method: string }): string {
  return `Payment ${p.receiptNo} (${methodLabel(p.method)})`;
}
