// The import screen's own logic, without a window: how a chosen file is read, how it is cut into
// calls, what the summary and progress say, and what a stop or a refusal part-way keeps.
import { describe, expect, it } from 'vitest';
import { callRanges, decodeCsvBytes, ImportStopped, progressText, receiptRange, recordFile, recordLabel, summaryText, toRecord } from '../../renderer/src/features/bursary/import/importRun.js';
import { IMPORT_CHUNK_ROWS, type PaymentImportResult } from '../../shared/domain/payment-import.js';
import { AppError } from '../../shared/api/errors.js';

const checked = (totalRows: number, totalMinor: number, alreadyImported = 0): PaymentImportResult => ({
  totalRows,
  totalMinor,
  problems: [],
  problemCount: 0,
  notes: [],
  recorded: 0,
  alreadyImported,
  receipts: [],
});

describe('reading the chosen file', () => {
  it('reads UTF-8 (dropping a BOM) and falls back to Windows-1252 for what is not UTF-8', () => {
    expect(decodeCsvBytes(new TextEncoder().encode('\uFEFFadmission_no,note\nKHS/1,Zoë'))).toBe('admission_no,note\nKHS/1,Zoë');
    // "Zoë" as a Windows spreadsheet saves it: ë is the single byte 0xEB.
    expect(decodeCsvBytes(new Uint8Array([0x5a, 0x6f, 0xeb, 0x2c, 0x31]))).toBe('Zoë,1');
  });
});

describe('recording in pieces', () => {
  it('asks IMPORT_CHUNK_ROWS rows at a time, and larger multiples of it for a long file', () => {
    expect(callRanges(0)).toEqual([]);
    expect(callRanges(312)).toEqual([
      [0, 100],
      [100, 200],
      [200, 300],
      [300, 312],
    ]);
    expect(callRanges(5_000)).toHaveLength(50);
    const long = callRanges(58_800);
    expect(long.length).toBeLessThanOrEqual(50);
    expect(long[0]).toEqual([0, 1_200]);
    expect(long.at(-1)![1]).toBe(58_800);
    // One after the other, without gaps, each a whole number of transactions but the last.
    long.forEach(([from, to], i) => {
      expect(from).toBe(i === 0 ? 0 : long[i - 1]![1]);
      if (i < long.length - 1) expect((to - from) % IMPORT_CHUNK_ROWS).toBe(0);
    });
  });

  it('says what the file holds and what recording it will do', () => {
    expect(summaryText(checked(312, 1_234_500_00), 'KES')).toMatch(/^312 payments, KES\s?1,234,500\.00 in all$/);
    expect(summaryText(checked(1, 500_00), 'KES')).toMatch(/^1 payment, KES\s?500\.00 in all$/);
    expect(toRecord(checked(312, 1, 200))).toBe(112);
    expect(recordLabel(312)).toBe('Record 312 payments');
    expect(recordLabel(1)).toBe('Record 1 payment');
    expect(progressText(1_200, 3_120)).toBe('Recorded 1,200 of 3,120');
    expect(receiptRange(['KHS-D1-000007'])).toBe('receipt KHS-D1-000007');
    expect(receiptRange(['KHS-D1-000007', 'KHS-D1-000008', 'KHS-D1-000009'])).toBe('receipts KHS-D1-000007 to KHS-D1-000009');
  });

  // Core stood in by an in-memory ledger that records each row once, as payments.importCsv does.
  function fakeCore(failAt?: number) {
    const recorded = new Set<number>();
    const calls: [number, number][] = [];
    const recordRange = async (from: number, to: number): Promise<PaymentImportResult> => {
      calls.push([from, to]);
      if (failAt !== undefined && from <= failAt && failAt < to) throw new AppError('conflict', `Nothing was recorded: stopped at line ${failAt + 2}.`);
      const receipts: string[] = [];
      let already = 0;
      for (let i = from; i < to; i++) {
        if (recorded.has(i)) already++;
        else {
          recorded.add(i);
          receipts.push(`R-${i}`);
        }
      }
      return { ...checked(312, 0), recorded: receipts.length, alreadyImported: already, receipts };
    };
    return { recorded, calls, recordRange };
  }

  it('records the whole file, reporting progress after each piece', async () => {
    const core = fakeCore();
    const seen: string[] = [];
    const done = await recordFile(312, core.recordRange, (p) => seen.push(progressText(p.recorded, 312)));
    expect(seen).toEqual(['Recorded 100 of 312', 'Recorded 200 of 312', 'Recorded 300 of 312', 'Recorded 312 of 312']);
    expect(done).toMatchObject({ recorded: 312, alreadyImported: 0, stopped: false });
    expect(done.receipts).toHaveLength(312);
    // The same file again: every row is met, none recorded twice.
    const again = await recordFile(312, core.recordRange, () => undefined);
    expect(again).toMatchObject({ recorded: 0, alreadyImported: 312 });
    expect(core.recorded.size).toBe(312);
  });

  it('stops between pieces when asked, keeping what was recorded', async () => {
    const core = fakeCore();
    const done = await recordFile(312, core.recordRange, () => undefined, () => core.calls.length >= 2);
    expect(done).toMatchObject({ recorded: 200, stopped: true });
    expect(core.calls).toEqual([
      [0, 100],
      [100, 200],
    ]);
  });

  it('hands a refusal part-way back with what was recorded before it', async () => {
    const core = fakeCore(250);
    const error = await recordFile(312, core.recordRange, () => undefined).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ImportStopped);
    const stopped = error as ImportStopped;
    expect(stopped.progress).toMatchObject({ recorded: 200, done: 200 });
    expect(stopped.error).toMatchObject({ code: 'conflict', message: expect.stringMatching(/line 252/) });
  });
});
