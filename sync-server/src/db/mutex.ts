/** A FIFO lock: PGlite has one connection, so a Kysely transaction must own it from begin to
 * commit, or another request's queries would run inside that transaction. */
export class Mutex {
  #tail: Promise<void> = Promise.resolve();

  async lock(): Promise<() => void> {
    let release!: () => void;
    const next = new Promise<void>((resolve) => (release = resolve));
    const previous = this.#tail;
    this.#tail = previous.then(() => next);
    await previous;
    return release;
  }
}
