/**
 * How many pulled rows to check and store in one synchronous step. better-sqlite3 blocks the
 * main process, and a row's cost varies several-fold (a student writes its search entries, a
 * payment does not) and with the machine, so the size follows the time the last step took,
 * aiming at `targetMs` per step (DESIGN §2: no single call over 50 ms).
 */
export class BatchSize {
  #rows: number;

  constructor(
    private readonly targetMs = 20,
    private readonly min = 50,
    private readonly max = 2_000,
  ) {
    this.#rows = min * 4;
  }

  get rows(): number {
    return this.#rows;
  }

  took(rows: number, ms: number): void {
    if (rows < this.#rows) return; // a short tail says little about the rate
    const next = Math.round((rows * this.targetMs) / Math.max(ms, 1));
    // Move gradually, so one slow step (a GC pause, a busy disk) does not swing it to the floor.
    this.#rows = Math.min(this.max, Math.max(this.min, Math.round((this.#rows + next) / 2)));
  }
}
