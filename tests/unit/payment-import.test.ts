// Payments from a CSV file: the RFC 4180 reader, the file's own checks, and the import on a real
// device store: every malformed file or row is said with its line and column and changes nothing
// (rows, outbox, receipt counter); a good file records each payment once, however often or in
// however many pieces it is imported.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { parseCsv } from '../../shared/csv.js';
import {
  describeProblem,
  IMPORT_CHUNK_ROWS,
  PAYMENT_IMPORT_MAX_CHARS,
  PAYMENT_IMPORT_TEMPLATE,
  readImportAmount,
  readMethod,
  readPaymentFile,
  type ImportProblem,
  type PaymentImportResult,
} from '../../shared/domain/payment-import.js';
import { zeroTotals } from '../../shared/domain/cashup.js';
import { derivedId, derivedIdsUnder } from '../../shared/ids.js';
import type { ApiInput } from '../../shared/api/contract.js';
import { call, openTestDevice, refusal, signInAs, storeCounts, TEST_CATEGORIES, type TestDevice } from '../support/local-device.js';

describe('parseCsv (RFC 4180)', () => {
  const fields = (text: string, delimiter?: string) => {
    const r = parseCsv(text, delimiter);
    if (!r.ok) throw new Error(r.message);
    return r.records.map((x) => x.fields);
  };

  it('reads quoted fields with delimiters, "" escapes and line breaks, and counts lines through them', () => {
    const r = parseCsv('a,"b, with comma","say ""hi"""\r\n"two\r\nlines",x,\n3,"",end');
    expect(r).toEqual({
      ok: true,
      records: [
        { line: 1, fields: ['a', 'b, with comma', 'say "hi"'] },
        { line: 2, fields: ['two\r\nlines', 'x', ''] },
        { line: 4, fields: ['3', '', 'end'] },
      ],
    });
  });

  it('takes CRLF, LF or a lone CR as the end of a line, drops a BOM and the newline after the last record', () => {
    const expected = [['h1', 'h2'], ['1', '2']];
    expect(fields('h1,h2\r\n1,2\r\n')).toEqual(expected);
    expect(fields('h1,h2\n1,2\n')).toEqual(expected);
    expect(fields('h1,h2\r1,2\r')).toEqual(expected);
    expect(fields('\uFEFFh1,h2\n1,2')).toEqual(expected);
    expect(fields('')).toEqual([]);
    expect(fields('\uFEFF')).toEqual([]);
    // An empty line is a record of one empty field (the caller skips it); a trailing comma is an empty last field.
    expect(fields('a\n\nb,\n')).toEqual([['a'], [''], ['b', '']]);
    expect(parseCsv('a\n\nb\r\n"x\ny"\rc')).toMatchObject({ ok: true, records: [{ line: 1 }, { line: 2 }, { line: 3 }, { line: 4 }, { line: 6 }] });
  });

  it('reads another delimiter when asked', () => {
    expect(fields('a;"b;c";1,5\n', ';')).toEqual([['a', 'b;c', '1,5']]);
  });

  it('refuses malformed quoting, naming the line', () => {
    expect(parseCsv('a,b\n1,2\n3,"never closed\n4,5\n')).toEqual({ ok: false, line: 3, message: expect.stringMatching(/starts with a quote \(".*never closed/) });
    expect(parseCsv('a,b\n"x\ny"z,1')).toEqual({ ok: false, line: 3, message: expect.stringMatching(/quoted value is followed by more text before the next comma/) });
    expect(parseCsv('a,b\n1,ab"c\n')).toEqual({ ok: false, line: 2, message: expect.stringMatching(/quote \("\) appears inside a value that does not start with one/) });
  });
});

describe('amounts and methods as people write them', () => {
  it('reads amounts exactly, and says in words what is wrong with the rest', () => {
    expect(readImportAmount('1,500.50', 'KES')).toEqual({ ok: true, minor: 150_050 });
    expect(readImportAmount(' 300 ', 'KES')).toEqual({ ok: true, minor: 30_000 });
    expect(readImportAmount('KES 1 200', 'KES')).toEqual({ ok: true, minor: 120_000 });
    expect(readImportAmount('75.5 kes', 'KES')).toEqual({ ok: true, minor: 7_550 });
    expect(readImportAmount('1500', 'UGX')).toEqual({ ok: true, minor: 1_500 });
    const refused: [string, string, RegExp][] = [
      ['', 'KES', /^The amount is missing\.$/],
      ['1,2OO', 'KES', /^"1,2OO" is not an amount: use digits/],
      ['0', 'KES', /^"0" is zero: a payment must be more than zero\.$/],
      ['0.00', 'KES', /is zero/],
      ['-500', 'KES', /^"-500" is negative: import only money received/],
      ['(500.00)', 'KES', /is negative/],
      ['10.005', 'KES', /^"10\.005" has more than 2 decimal places\.$/],
      ['10.5', 'UGX', /UGX has no smaller unit: use a whole amount/],
      ['20,000,000', 'KES', /^"20,000,000" is more than the largest single payment this school accepts \(KES\s?10,000,000\.00\); check for an extra zero\.$/],
      ['99999999999999999999', 'KES', /more than the largest single payment/],
      ['1.2.3', 'KES', /is not an amount/],
    ];
    for (const [text, currency, message] of refused) {
      const r = readImportAmount(text, currency);
      expect(r.ok, text).toBe(false);
      if (!r.ok) expect(r.message, text).toMatch(message);
    }
  });

  it('knows each method by its name and a short list of everyday spellings, and nothing else', () => {
    expect(readMethod('bank_transfer')).toBe('bank_transfer');
    expect(readMethod('Bank Transfer')).toBe('bank_transfer');
    expect(readMethod('EFT')).toBe('bank_transfer');
    expect(readMethod('Mobile money')).toBe('mobile_money');
    expect(readMethod('M-Pesa')).toBe('mobile_money');
    expect(readMethod('MPESA')).toBe('mobile_money');
    expect(readMethod('Cheque')).toBe('cheque');
    expect(readMethod('check')).toBe('cheque');
    expect(readMethod(' CASH ')).toBe('cash');
    expect(readMethod('POS')).toBe('card');
    expect(readMethod('PayPal')).toBeNull();
    expect(readMethod('money')).toBeNull();
  });

  it('offers a template that reads back as one good row', () => {
    const file = readPaymentFile(PAYMENT_IMPORT_TEMPLATE, 'KES');
    expect(PAYMENT_IMPORT_TEMPLATE.split('\r\n')[0]).toBe('admission_no,amount,method,reference,note');
    expect(file.problems).toEqual([]);
    expect(file.rows).toEqual([{ index: 0, line: 2, admissionNo: 'KHS/2026/00001', amountMinor: 150_000, method: 'mobile_money', reference: 'QK7PL2M9XZ' }]);
  });
});

describe('derived ids of a file’s rows', () => {
  it('are derivedId’s ids, made with the shared prefix hashed once (ids already stored never change)', () => {
    // Pinned: charges and payments already carry ids made this way.
    expect(derivedId('structure-charge', 'a', 'b', 'c', '2026-01-31')).toBe('5f419046-fed6-804f-aaa3-73e6d0db25e6');
    expect(derivedId('payment-import', 'f'.repeat(64), '7')).toBe('66a43614-1a49-85d4-af28-b403dd2c3968');
    const under = derivedIdsUnder('payment-import', 'f'.repeat(64));
    expect(under('7')).toBe('66a43614-1a49-85d4-af28-b403dd2c3968');
    for (const i of [0, 1, 99, 100, 12_345]) expect(under(String(i))).toBe(derivedId('payment-import', 'f'.repeat(64), String(i)));
  });
});

// ---- the import on a device store ----

let device: TestDevice;
beforeEach(async () => {
  device = await openTestDevice({ students: 60 });
});
afterEach(() => device.dispose());

const adm = (n: number) => `KHS/2026/${String(n).padStart(5, '0')}`;
const HEADER = 'admission_no,amount,method,reference,note';
const csvOf = (...lines: string[]) => [HEADER, ...lines].join('\r\n') + '\r\n';

async function importCsv(csv: string, options: Partial<ApiInput<'payments.importCsv'>> = {}): Promise<PaymentImportResult> {
  return call(device.core, 'payments.importCsv', { fileName: 'statement.csv', csv, dryRun: false, ...options });
}
const dryRun = (csv: string) => importCsv(csv, { dryRun: true });

/** `n` payments over the enrolled students, mixing methods (references unique). */
function goodRows(n: number) {
  const methods = ['cash', 'M-Pesa', 'Bank transfer', 'cheque', 'card'];
  return Array.from({ length: n }, (_, i) => {
    const method = methods[i % methods.length]!;
    // KHS/2026/00050 is withdrawn: 48 students take turns.
    return { no: adm(1 + (i % 48)), amount: `${(1_000 + i).toLocaleString('en')}.50`, method, reference: method === 'cash' ? '' : `REF${String(i).padStart(5, '0')}`, note: `row ${i}` };
  });
}
const goodFile = (n: number) => csvOf(...goodRows(n).map((r) => `${r.no},"${r.amount}",${r.method},${r.reference},${r.note}`));

function paymentsOf(d: TestDevice) {
  return d.core.store.sqlite.prepare('select id, student_id, amount_minor, method, reference, receipt_no, allocations from payments order by receipt_no').all();
}

describe('payments.importCsv: what is wrong is said, and nothing changes', () => {
  type Case = [what: string, csv: string | (() => Promise<string>), expected: Partial<ImportProblem>];
  const cases: Case[] = [
    ['no amount column', 'admission_no,method,reference\nKHS/2026/00001,cash,\n', { line: 1, column: 'amount', message: expect.stringMatching(/no "amount" column/) }],
    ['a column named twice', 'admission_no,amount,Amount,method\nKHS/2026/00001,10,10,cash\n', { line: 1, column: 'amount', message: expect.stringMatching(/named twice/) }],
    ['an unterminated quote', csvOf(`${adm(1)},100,cash,,`, `${adm(2)},"100,cash,,`, `${adm(3)},100,cash,,`), { line: 3, column: null, message: expect.stringMatching(/never closed/) }],
    ['an empty file', '', { line: null, message: expect.stringMatching(/The file is empty/) }],
    ['a header and no payments', csvOf(), { line: null, message: expect.stringMatching(/no payments under them/) }],
    ['a thousands comma outside quotes', csvOf(`${adm(1)},1,200.00,cash,,`), { line: 2, column: null, message: expect.stringMatching(/has 6 values but the first line names 5 columns.*in quotes/) }],
    ['a letter O in an amount', csvOf(`${adm(1)},100,cash,,`, `${adm(2)},"1,2OO",cash,,`), { line: 3, column: 'amount', message: expect.stringMatching(/^"1,2OO" is not an amount/) }],
    ['a zero amount', csvOf(`${adm(1)},0,cash,,`), { line: 2, column: 'amount', message: expect.stringMatching(/is zero/) }],
    ['a negative amount', csvOf(`${adm(1)},-250,cash,,`), { line: 2, column: 'amount', message: expect.stringMatching(/is negative/) }],
    ['fractional cents', csvOf(`${adm(1)},12.345,cash,,`), { line: 2, column: 'amount', message: expect.stringMatching(/more than 2 decimal places/) }],
    ['a huge amount', csvOf(`${adm(1)},"50,000,000.00",cash,,`), { line: 2, column: 'amount', message: expect.stringMatching(/largest single payment/) }],
    ['a missing amount', csvOf(`${adm(1)},,cash,,`), { line: 2, column: 'amount', message: 'The amount is missing.' }],
    ['an unknown method', csvOf(`${adm(1)},100,PayPal,X1,`), { line: 2, column: 'method', message: expect.stringMatching(/"PayPal" is not a payment method this school records/) }],
    ['a missing admission number', csvOf(`,100,cash,,`), { line: 2, column: 'admission_no', message: 'The admission number is missing.' }],
    ['an unknown student', csvOf(`${adm(1)},100,cash,,`, `KHS/2099/00001,100,cash,,`), { line: 3, column: 'admission_no', message: expect.stringMatching(/No student on this computer has admission number "KHS\/2099\/00001"/) }],
    ['a withdrawn student', csvOf(`${adm(50)},100,cash,,`), { line: 2, column: 'admission_no', message: expect.stringMatching(/\(KHS\/2026\/00050\) is withdrawn; payments can only be recorded for enrolled students/) }],
    ['a missing reference', csvOf(`${adm(1)},100,mobile money,,`), { line: 2, column: 'reference', message: expect.stringMatching(/mobile money payment needs its reference/) }],
    ['no reference column for a cheque', 'admission_no,amount,method\nKHS/2026/00001,100,cheque\n', { line: 2, column: 'reference', message: expect.stringMatching(/cheque number\. The file has no reference column/) }],
    ['the same slip twice in the file', csvOf(`${adm(1)},100,mpesa,QK1,`, `${adm(2)},100,cash,,`, `${adm(1)},100,M-Pesa,QK1,`), { line: 4, column: 'reference', message: expect.stringMatching(/^Line 2 already has this payment: the same mobile money reference QK1 for KHS\/2026\/00001/) }],
    [
      'a slip already recorded for the student',
      async () => {
        const student = device.students[0]!;
        await call(device.core, 'payments.record', { studentId: student.id, amountMinor: 10_000, method: 'bank_transfer', reference: 'FT2605' });
        return csvOf(`${adm(2)},100,cash,,`, `${adm(1)},100,bank,FT2605,`);
      },
      { line: 3, column: 'reference', message: expect.stringMatching(/^Already recorded as receipt TEST-D1-000001 \(KES\s?100\.00 on \d{4}-\d{2}-\d{2}\): the same bank transfer reference for this student/) },
    ],
    [
      'a closed day',
      async () => {
        await call(device.core, 'cashup.close', { counted: zeroTotals() });
        return csvOf(`${adm(1)},100,cash,,`);
      },
      { line: null, column: null, message: expect.stringMatching(/^You closed \d{4}-\d{2}-\d{2} on this computer at \d\d:\d\d \(cash-up\), so no more payments can be recorded into that day here/) },
    ],
  ];

  for (const [what, csvOrSetup, expected] of cases) {
    it(`${what}: the dry run lists it, the import refuses, nothing saved changes`, async () => {
      const csv = typeof csvOrSetup === 'string' ? csvOrSetup : await csvOrSetup();
      const before = storeCounts(device.core);
      const checked = await dryRun(csv);
      expect(checked.problems).toContainEqual(expect.objectContaining(expected));
      expect(checked.problemCount).toBe(checked.problems.length);
      expect(checked).toMatchObject({ recorded: 0, receipts: [] });
      expect(storeCounts(device.core)).toEqual(before);

      const refused = await refusal(device.core, 'payments.importCsv', { fileName: 'statement.csv', csv, dryRun: false });
      expect(refused.code).toBe('invalid_input');
      expect(refused.message).toMatch(/^"statement\.csv" was not imported: it has \d+ problems?, so nothing was recorded\. /);
      expect(refused.message).toContain(describeProblem(checked.problems[0]!));
      expect(refused.issues?.length).toBe(checked.problems.length);
      expect(storeCounts(device.core)).toEqual(before);
    });
  }

  it('lists every problem of a bad file at once, in line order, good rows untouched', async () => {
    const csv = csvOf(`${adm(1)},100,cash,,`, `${adm(2)},abc,cash,,`, `KHS/2099/1,100,cash,,`, `${adm(4)},100,cheque,,`, `${adm(5)},100,cash,,`);
    const checked = await dryRun(csv);
    expect(checked.problems.map(describeProblem)).toEqual([
      expect.stringMatching(/^Line 3, amount: "abc" is not an amount/),
      expect.stringMatching(/^Line 4, admission_no: No student on this computer/),
      expect.stringMatching(/^Line 5, reference: A cheque payment needs its reference/),
    ]);
    expect(checked.totalRows).toBe(5);
    expect(checked.totalMinor).toBe(300_00); // the amounts that could be read
  });

  it('refuses a file larger than 5 MB and a range that ends before it starts', async () => {
    const before = storeCounts(device.core);
    const big = await refusal(device.core, 'payments.importCsv', { fileName: 'big.csv', csv: 'x'.repeat(PAYMENT_IMPORT_MAX_CHARS + 1), dryRun: true });
    expect(big).toMatchObject({ code: 'invalid_input', message: expect.stringMatching(/larger than 5 MB/) });
    const range = await refusal(device.core, 'payments.importCsv', { fileName: 'a.csv', csv: goodFile(3), dryRun: false, fromRow: 2, toRow: 2 });
    expect(range).toMatchObject({ code: 'invalid_input', message: expect.stringMatching(/toRow must be after fromRow/) });
    expect(storeCounts(device.core)).toEqual(before);
  });

  it('is only for those who may record payments', async () => {
    await signInAs(device.core, 'auditor');
    const error = await refusal(device.core, 'payments.importCsv', { fileName: 'a.csv', csv: goodFile(1), dryRun: true });
    expect(error.code).toBe('forbidden');
  });
});

describe('payments.importCsv: a good file', () => {
  it('checks without saving, then records every row through the payment path, oldest-due first', async () => {
    const [tuition, lunch] = TEST_CATEGORIES;
    const first = device.students[0]!;
    const feb = await call(device.core, 'charges.post', { studentId: first.id, categoryId: lunch!.id, amountMinor: 50_000, dueOn: '2026-02-28' });
    const jan = await call(device.core, 'charges.post', { studentId: first.id, categoryId: tuition!.id, amountMinor: 80_000, dueOn: '2026-01-31' });
    const csv = goodFile(130);
    const before = storeCounts(device.core);

    const checked = await dryRun(csv);
    expect(checked).toEqual({
      totalRows: 130,
      totalMinor: Array.from({ length: 130 }, (_, i) => (1_000 + i) * 100 + 50).reduce((s, x) => s + x, 0),
      problems: [],
      problemCount: 0,
      notes: ['Notes are checked but not saved: a payment has no note. Keep the file if you need them.'],
      recorded: 0,
      alreadyImported: 0,
      receipts: [],
    });
    expect(storeCounts(device.core)).toEqual(before);

    const done = await importCsv(csv);
    expect(done).toMatchObject({ totalRows: 130, recorded: 130, alreadyImported: 0, problems: [] });
    expect(done.receipts).toEqual(Array.from({ length: 130 }, (_, i) => `TEST-D1-${String(i + 1).padStart(6, '0')}`));
    expect(storeCounts(device.core)).toEqual({ ...before, payments: 130, outbox: before.outbox! + 130, outbox_rows: before.outbox_rows! + 130, nextReceiptNo: before.nextReceiptNo! + 130 });

    // Row 0 is 1,000.50 by cash for the first student: the January tuition first, then February's lunch.
    const row0 = await call(device.core, 'payments.listForStudent', { studentId: first.id });
    const byReceipt = row0.rows.find((p) => p.receiptNo === 'TEST-D1-000001')!;
    expect(byReceipt).toMatchObject({ amountMinor: 100_050, method: 'cash', reference: null, pending: true });
    expect(byReceipt.allocations).toEqual([
      { chargeId: jan.id, amountMinor: 80_000 },
      { chargeId: feb.id, amountMinor: 20_050 },
    ]);
    // The 49th row is the same student again: the rest of February, then credit.
    const again = row0.rows.find((p) => p.receiptNo === 'TEST-D1-000049')!;
    expect(again.allocations).toEqual([{ chargeId: feb.id, amountMinor: 29_950 }]);
    const mutation = JSON.parse(device.core.store.sqlite.prepare("select args from outbox where name = 'payments.record' order by seq limit 1 offset 1").pluck().get() as string);
    expect(mutation).toMatchObject({ method: 'mobile_money', reference: 'REF00001', receiptNo: 'TEST-D1-000002', recordedBy: 'Bursar Person' });
  });

  it('never records twice: the same file again, or saved again by a spreadsheet, meets what it recorded', async () => {
    const csv = goodFile(30);
    await importCsv(csv);
    const after = storeCounts(device.core);

    const again = await importCsv(csv);
    expect(again).toMatchObject({ recorded: 0, alreadyImported: 30, receipts: [], problems: [] });
    expect(await dryRun(csv)).toMatchObject({ alreadyImported: 30, problems: [] });
    // Re-saved: a BOM, LF endings, the columns in another order and letter case, amounts without
    // the thousands comma, the notes edited, a blank line between rows.
    const resaved = '\uFEFFMethod,Reference,Amount,Admission No,Note\n' + goodRows(30).map((r) => `${r.method},${r.reference},${r.amount.replace(',', '')},${r.no},edited\n`).join('\n');
    const resavedRun = await importCsv(resaved);
    expect(resavedRun).toMatchObject({ recorded: 0, alreadyImported: 30, problems: [] });
    expect(storeCounts(device.core)).toEqual(after);
  });

  it('records in chunks exactly what one import records, and a retried chunk records nothing twice', async () => {
    const csv = goodFile(250);
    await importCsv(csv);
    const whole = paymentsOf(device);

    const other = await openTestDevice({ students: 60 });
    try {
      // The same 60 students on the other computer (same admission numbers, same ids).
      other.core.store.sqlite.prepare('delete from students').run();
      const insert = other.core.store.sqlite.prepare('insert into students (id, admission_no, first_name, last_name, class_name, status, guardian_phone) values (?, ?, ?, ?, ?, ?, ?)');
      for (const s of device.students) insert.run(s.id, s.admission_no, s.first_name, s.last_name, s.class_name, s.status, s.guardian_phone);
      const piece = (fromRow: number, toRow: number) =>
        call(other.core, 'payments.importCsv', { fileName: 'statement.csv', csv, dryRun: false, fromRow, toRow });

      const counts: [number, number][] = [];
      for (let from = 0; from < 250; from += IMPORT_CHUNK_ROWS) {
        const r = await piece(from, from + IMPORT_CHUNK_ROWS);
        counts.push([r.recorded, r.alreadyImported]);
        // As if the window died after the first piece was saved and the bursar started again.
        if (from === 0) {
          const retry = await piece(0, IMPORT_CHUNK_ROWS);
          expect(retry).toMatchObject({ recorded: 0, alreadyImported: IMPORT_CHUNK_ROWS });
        }
      }
      expect(counts).toEqual([
        [100, 0],
        [100, 0],
        [50, 0],
      ]);
      expect(paymentsOf(other)).toEqual(whole);
      const rest = await call(other.core, 'payments.importCsv', { fileName: 'statement.csv', csv, dryRun: false });
      expect(rest).toMatchObject({ recorded: 0, alreadyImported: 250 });
    } finally {
      await other.dispose();
    }
  });

  it('continues an interrupted import: the rows recorded before count as already imported', async () => {
    const csv = goodFile(130);
    await importCsv(csv, { fromRow: 0, toRow: 100 });
    expect(await dryRun(csv)).toMatchObject({ alreadyImported: 100, problems: [] });
    const rest = await importCsv(csv);
    expect(rest).toMatchObject({ recorded: 30, alreadyImported: 100 });
    expect(rest.receipts[0]).toBe('TEST-D1-000101');
    expect(storeCounts(device.core).payments).toBe(130);
  });

  it('records one slip for several children, ignores other columns and blank lines, and says so', async () => {
    const csv = ['Date,admission_no,amount,method,reference,Balance', '2026-05-02,KHS/2026/00001,500,mpesa,QKS1,9000', ',,,,,', '', '2026-05-02,khs/2026/00002 ,700,mpesa,QKS1,8300'].join('\n');
    const done = await importCsv(csv);
    expect(done).toMatchObject({ totalRows: 2, recorded: 2, problems: [] });
    expect(done.notes).toEqual([
      'Ignored the columns "Date", "Balance": only admission_no, amount, method, reference, note are read.',
      expect.stringMatching(/^Lines 2, 5 share the mobile money reference QKS1 for different students/),
    ]);
    const second = await call(device.core, 'payments.listForStudent', { studentId: device.students[1]!.id });
    expect(second.rows[0]).toMatchObject({ amountMinor: 70_000, duplicateReferenceOf: [done.receipts[0]] });
  });

  it('reads a semicolon-separated file from a comma-decimal spreadsheet', async () => {
    const done = await importCsv('admission_no;amount;method;reference\nKHS/2026/00003;"1 250.00";Cash;\n');
    expect(done).toMatchObject({ recorded: 1, notes: [expect.stringMatching(/semicolons/)] });
  });

  it('notes a reference already on another student’s payment, and records the row', async () => {
    await call(device.core, 'payments.record', { studentId: device.students[5]!.id, amountMinor: 10_000, method: 'mobile_money', reference: 'QKX9' });
    const done = await importCsv(csvOf(`${adm(1)},100,cash,,`, `${adm(2)},100,mobile money,QKX9,`));
    expect(done).toMatchObject({ recorded: 2, notes: [expect.stringMatching(/^Line 3: the reference is already on another student's payment/)] });
  });

  it('a voided payment is not in the way: its slip may be recorded again', async () => {
    const p = await call(device.core, 'payments.record', { studentId: device.students[0]!.id, amountMinor: 10_000, method: 'cheque', reference: '000123' });
    await call(device.core, 'ledger.void', { targetTable: 'payments', targetId: p.id, reason: 'Cheque bounced' });
    expect(await importCsv(csvOf(`${adm(1)},100,cheque,000123,`))).toMatchObject({ recorded: 1, problems: [] });
  });
});
