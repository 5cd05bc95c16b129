/** Lets the main process handle what is waiting (IPC, sync) between two parts of a long call:
 * better-sqlite3 is synchronous, so no part may hold it for over 50 ms (DESIGN §2). */
export const breathe = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));
