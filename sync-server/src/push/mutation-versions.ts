import { MUTATION_SCHEMA_VERSION, type MutationName } from '../../../shared/sync/mutations.js';
import type { MutationEnvelope } from '../../../shared/sync/protocol.js';

/** The mutation formats this server accepts: older ones are upgraded step by step to the
 * newest before their arguments are checked. */
export interface MutationVersionWindow {
  min: number;
  max: number;
}

/** Raise `min` only once no device can still hold a change in an older format (and drop its
 * upgrade step then). */
export const MUTATION_VERSIONS: MutationVersionWindow = { min: 1, max: MUTATION_SCHEMA_VERSION };

/** Upgrade steps: UPGRADES[n] turns the arguments of a format-n mutation into format n+1.
 * Empty: format 1 is the only one there has been (arguments added since, such as a payment's
 * allocations, have defaults, so older changes still parse). */
export const UPGRADES: Record<number, (name: MutationName, args: unknown) => unknown> = {};

export type VersionCheck = { ok: true; args: unknown } | { ok: false; reason: string };

/** Brings a mutation's arguments to the newest format, or says why this server cannot. */
export function upgradeArgs(m: MutationEnvelope, window: MutationVersionWindow): VersionCheck {
  if (m.schemaVersion > window.max) {
    return {
      ok: false,
      reason: `This change was saved by a newer version of Schoolhouse (change format ${m.schemaVersion}) than this sync server reads (formats ${range(window)}). Nothing was saved: ask your administrator to update the sync server, then resend it from Needs attention.`,
    };
  }
  if (m.schemaVersion < window.min) {
    return {
      ok: false,
      reason: `This change was saved by an old version of Schoolhouse (change format ${m.schemaVersion}) that this sync server no longer reads (formats ${range(window)}). Nothing was saved: ask your administrator for a sync server that reads format ${m.schemaVersion} and resend it then, or enter the change again and discard this one.`,
    };
  }
  let args = m.args;
  for (let v = m.schemaVersion; v < window.max; v++) {
    const step = UPGRADES[v];
    if (step) args = step(m.name, args);
  }
  return { ok: true, args };
}

function range(w: MutationVersionWindow): string {
  return w.min === w.max ? `${w.min} only` : `${w.min} to ${w.max}`;
}
