import type { Transaction } from 'kysely';
import type { ServerDatabase } from '../db/schema.js';
import type { DeviceIdentity } from '../auth/device-auth.js';

/** The school's settings, read once per push with the school's lock (no mutation changes them). */
export interface SchoolSettings {
  currency: string;
  timeZone: string;
}

export interface ApplyContext {
  trx: Transaction<ServerDatabase>;
  device: DeviceIdentity;
  school: SchoolSettings;
  mutationId: string;
  /** The staff member who made the change, already checked against MUTATION_PERMISSION. */
  authorId: string | null;
}

/** What an applier decided. Rejections change no data; they are recorded so a replay gets the same answer. */
export type ApplyOutcome = { status: 'applied' } | { status: 'rejected'; reason: string };

/** Applies one validated mutation inside the caller's transaction: checks the business rules,
 * writes the domain rows and appends their changes. */
export type Applier<Args> = (ctx: ApplyContext, args: Args) => Promise<ApplyOutcome>;

export function reject(reason: string): ApplyOutcome {
  return { status: 'rejected', reason };
}
