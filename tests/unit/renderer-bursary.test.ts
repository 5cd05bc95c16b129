// The bursary screens' own arithmetic and paging, without a window: how a payment is spread,
// what a fee structure form sends, how an export pages through a list, what a cash-up count says.
import { describe, expect, it } from 'vitest';
import { checkAllocations, oldestFirst, typedFrom, type OpenCharge } from '../../renderer/src/features/payments/allocation.js';
import { checkDraft, splitEvenly, emptyItem, type StructureDraft } from '../../renderer/src/features/bursary/structures/structureDraft.js';
import { exportCsv, progressText, EXPORT_PAGE_SIZE } from '../../renderer/src/features/bursary/lists/exportRows.js';
import { filterProblem, toLedgerFilter } from '../../renderer/src/features/bursary/lists/filter.js';
import { EMPTY_FILTER } from '../../renderer/src/features/bursary/store.js';
import { checkCounted } from '../../renderer/src/features/bursary/cashup/counted.js';
import { parsePrintHash, printHash } from '../../renderer/src/features/print/route.js';
import { parsePercentBp } from '../../renderer/src/features/fees/percent.js';
import { addNames, attachmentName, MAX_ATTACHMENTS } from '../../renderer/src/features/bursary/expenses/attachments.js';
import { niceCeiling, ticks } from '../../renderer/src/features/bursary/dashboard/chartScale.js';
import { formatEditable } from '../../renderer/src/lib/money.js';
import { zeroTotals } from '../../shared/domain/cashup.js';

const open: OpenCharge[] = [
  { chargeId: 'a', description: 'Tuition', dueOn: '2026-01-10', outstandingMinor: 100_00 },
  { chargeId: 'b', description: 'Lunch', dueOn: '2026-02-10', outstandingMinor: 50_00 },
];

describe('payment allocation', () => {
  it('spreads oldest due first and leaves the rest as credit', () => {
    expect([...oldestFirst(open, 120_00)]).toEqual([
      ['a', 100_00],
      ['b', 20_00],
    ]);
    const typed = typedFrom(open, oldestFirst(open, 200_00), 'KES');
    expect([...typed.values()]).toEqual(['100.00', '50.00']);
    const check = checkAllocations(open, typed, 200_00, 'KES');
    expect(check.allocations).toEqual([
      { chargeId: 'a', amountMinor: 100_00 },
      { chargeId: 'b', amountMinor: 50_00 },
    ]);
    expect(check.creditMinor).toBe(50_00);
    expect(check.problem).toBeNull();
  });

  it('refuses more than a charge owes, or more than the payment, and skips blanks and zeros', () => {
    const check = checkAllocations(
      open,
      new Map([
        ['a', '120'],
        ['b', '0'],
      ]),
      150_00,
      'KES',
    );
    expect(check.problems.get('a')).toMatch(/owes only KES\s?100\.00/);
    expect(check.allocations).toEqual([]);

    const over = checkAllocations(open, new Map([['a', '90'], ['b', '40']]), 100_00, 'KES');
    expect(over.problem).toMatch(/add up to KES\s?130\.00, more than the payment of KES\s?100\.00/);
    expect(over.creditMinor).toBe(0);

    const some = checkAllocations(open, new Map([['b', '50']]), 80_00, 'KES');
    expect(some.allocations).toEqual([{ chargeId: 'b', amountMinor: 50_00 }]);
    expect(some.creditMinor).toBe(30_00);
  });
});

describe('fee structure form', () => {
  const base = (): StructureDraft => ({ className: 'Grade 4', term: 'Term 1 2027', items: [emptyItem('2027-01-10')] });

  it('splits a fee evenly in whole minor units', () => {
    expect(splitEvenly(100_01, 3)).toEqual([33_34, 33_34, 33_33]);
    expect(splitEvenly(100_01, 3).reduce((s, x) => s + x, 0)).toBe(100_01);
  });

  it('sends a single instalment of the whole fee when it is not split', () => {
    const d = base();
    d.items[0] = { categoryId: 'cat-1', amount: '1,200', instalments: [{ dueOn: '2027-01-10', amount: '' }] };
    const check = checkDraft(d, 'KES');
    expect(check.ok).toBe(true);
    expect(check.items).toEqual([{ categoryId: 'cat-1', amountMinor: 1200_00, instalments: [{ dueOn: '2027-01-10', amountMinor: 1200_00 }] }]);
  });

  it('says when instalments do not add up, are out of order, or a category repeats', () => {
    const d = base();
    d.items[0] = {
      categoryId: 'cat-1',
      amount: '1000',
      instalments: [
        { dueOn: '2027-01-10', amount: '600' },
        { dueOn: '2027-02-10', amount: '300' },
      ],
    };
    d.items.push({ categoryId: 'cat-1', amount: '10', instalments: [{ dueOn: '2027-01-10', amount: '' }] });
    const check = checkDraft(d, 'KES');
    expect(check.ok).toBe(false);
    expect(check.problems[0]!.split).toMatch(/add up to KES\s?900\.00, but the fee is KES\s?1,000\.00/);
    expect(check.problems[1]!.category).toMatch(/already in the structure/);

    d.items = [{ categoryId: 'cat-1', amount: '1000', instalments: [{ dueOn: '2027-02-10', amount: '500' }, { dueOn: '2027-01-10', amount: '500' }] }];
    expect(checkDraft(d, 'KES').problems[0]!.split).toMatch(/date order/);
    expect(checkDraft({ ...d, className: ' ' }, 'KES').className).toMatch(/Name the class/);
  });
});

describe('CSV export', () => {
  // An in-memory list answering keyset pages the way core does: rows after the cursor, the total on request.
  const rows = Array.from({ length: 2_345 }, (_, i) => ({ id: i, name: i === 7 ? '=SUM(A1)' : `Student ${i}` }));
  const pageOf = async (after: number | null, withTotal: boolean, limit: number) => {
    const start = after === null ? 0 : after + 1;
    const slice = rows.slice(start, start + limit);
    return { rows: slice, next: start + limit < rows.length ? slice.at(-1)!.id : null, total: withTotal ? rows.length : null };
  };

  it('pages through the whole list a thousand rows at a time, reporting progress', async () => {
    const seen: string[] = [];
    const limits: number[] = [];
    const csv = await exportCsv(
      (after: number | null, withTotal, limit) => {
        limits.push(limit);
        return pageOf(after, withTotal, limit);
      },
      { header: ['No', 'Name'], cells: (r) => [r.id, r.name] },
      (done, total) => seen.push(progressText(done, total)),
    );
    expect(limits).toEqual([EXPORT_PAGE_SIZE, EXPORT_PAGE_SIZE, EXPORT_PAGE_SIZE]);
    expect(seen).toEqual(['Exported 1,000 of 2,345 rows', 'Exported 2,000 of 2,345 rows', 'Exported 2,345 of 2,345 rows']);
    const lines = csv!.split('\r\n');
    expect(lines[0]).toBe('No,Name');
    expect(lines).toHaveLength(2_345 + 2); // header, rows, and the empty string after the last CRLF
    expect(lines[8]).toBe("7,'=SUM(A1)");
  });

  it('stops when cancelled, saving nothing', async () => {
    let pages = 0;
    const csv = await exportCsv(
      (after: number | null, withTotal, limit) => {
        pages++;
        return pageOf(after, withTotal, limit);
      },
      { header: ['No'], cells: (r) => [r.id] },
      () => undefined,
      () => pages >= 1,
    );
    expect(csv).toBeNull();
    expect(pages).toBe(1);
  });
});

describe('list filters', () => {
  it('sends only the fields the list offers, without blanks', () => {
    const state = { ...EMPTY_FILTER, from: '2026-01-01', className: '  Grade   4 ', method: 'cash' as const, expenseStatus: 'pending' as const };
    expect(toLedgerFilter(state, ['dates', 'className', 'method'])).toEqual({ from: '2026-01-01', className: 'Grade 4', method: 'cash' });
    expect(toLedgerFilter(state, ['className'])).toEqual({ className: 'Grade 4' });
    expect(filterProblem({ from: '2026-02-01', to: '2026-01-01' })).toMatch(/before the "from" date/);
    expect(filterProblem({ from: '2026-01-01', to: '2026-01-01' })).toBeNull();
  });
});

describe('cash-up count', () => {
  it('needs a count where money was expected, and works out the difference per method', () => {
    const expected = { ...zeroTotals(), cash: 500_00, mobile_money: 200_00 };
    const blank = checkCounted({}, expected, 'KES');
    expect(Object.keys(blank.problems).sort()).toEqual(['cash', 'mobile_money']);
    const counted = checkCounted({ cash: '480', mobile_money: '200.00' }, expected, 'KES');
    expect(counted.problems).toEqual({});
    expect(counted.difference.cash).toBe(-20_00);
    expect(counted.difference.mobile_money).toBe(0);
    expect(counted.totalDifference).toBe(-20_00);
    expect(counted.counted.cheque).toBe(0);
  });
});

describe('small parsers', () => {
  it('reads print addresses and nothing else', () => {
    const id = '0190f3c2-7b1a-7cc0-9a5e-1234567890ab';
    expect(parsePrintHash(printHash({ kind: 'receipt', paymentId: id }))).toEqual({ kind: 'receipt', paymentId: id });
    expect(parsePrintHash(`#/print/statement/${id}`)).toEqual({ kind: 'statement', studentId: id });
    expect(parsePrintHash('#/print/receipt/../../etc')).toBeNull();
    expect(parsePrintHash('')).toBeNull();
  });

  it('reads percentages as basis points', () => {
    expect(parsePercentBp('25')).toBe(2500);
    expect(parsePercentBp('12.5%')).toBe(1250);
    expect(parsePercentBp('0.01')).toBe(1);
    expect(parsePercentBp('12.345')).toBeNull();
    expect(parsePercentBp('ten')).toBeNull();
  });

  it('keeps attachment names without folders, repeats or more than the limit', () => {
    expect(attachmentName('C:\\fakepath\\invoice-0423.pdf')).toBe('invoice-0423.pdf');
    expect(attachmentName('  ')).toBeNull();
    const many = Array.from({ length: MAX_ATTACHMENTS + 2 }, (_, i) => `scan-${i}.jpg`);
    const added = addNames(['scan-0.jpg'], many);
    expect(added.names).toHaveLength(MAX_ATTACHMENTS);
    expect(added.dropped).toBe(2);
  });

  it('gives chart axes round tops and amounts back as typed', () => {
    expect(niceCeiling(0)).toBe(1);
    expect(niceCeiling(73_000)).toBe(100_000);
    expect(niceCeiling(2_100)).toBe(2_500);
    expect(ticks(100, 4)).toEqual([0, 25, 50, 75, 100]);
    expect(ticks(5_000)).toEqual([0, 1_000, 2_000, 3_000, 4_000, 5_000]);
    expect(ticks(2_000)).toEqual([0, 500, 1_000, 1_500, 2_000]);
    expect(ticks(250)).toEqual([0, 50, 100, 150, 200, 250]);
    expect(formatEditable(120_050, 'KES')).toBe('1200.50');
    expect(formatEditable(5, 'KES')).toBe('0.05');
    expect(formatEditable(1500, 'JPY')).toBe('1500');
  });
});
