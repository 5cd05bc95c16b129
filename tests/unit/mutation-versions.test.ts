// The server's window of mutation formats: too new and too old are refused with what to update;
// older formats inside the window are upgraded step by step before their arguments are checked.
import { afterEach, describe, expect, it } from 'vitest';
import { MUTATION_SCHEMA_VERSION } from '../../shared/sync/mutations.js';
import type { MutationEnvelope } from '../../shared/sync/protocol.js';
import { MUTATION_VERSIONS, UPGRADES, upgradeArgs } from '../../sync-server/src/push/mutation-versions.js';

function envelope(schemaVersion: number, args: unknown = { id: 'x' }): MutationEnvelope {
  return { id: '0190d000-0000-7000-8000-000000000001', seq: 1, name: 'payments.record', args, schemaVersion, authorId: null };
}

describe('mutation formats', () => {
  afterEach(() => {
    for (const k of Object.keys(UPGRADES)) delete UPGRADES[Number(k)];
  });

  it('accepts the current format as it is, by default up to the format this build writes', () => {
    expect(MUTATION_VERSIONS).toEqual({ min: 1, max: MUTATION_SCHEMA_VERSION });
    expect(upgradeArgs(envelope(MUTATION_SCHEMA_VERSION, { a: 1 }), MUTATION_VERSIONS)).toEqual({ ok: true, args: { a: 1 } });
  });

  it('refuses a newer format, saying to update the sync server and resend', () => {
    const r = upgradeArgs(envelope(3), { min: 1, max: 2 });
    expect(r).toEqual({
      ok: false,
      reason: 'This change was saved by a newer version of Schoolhouse (change format 3) than this sync server reads (formats 1 to 2). Nothing was saved: ask your administrator to update the sync server, then resend it from Needs attention.',
    });
  });

  it('refuses a format the server no longer reads, saying what can be done', () => {
    const r = upgradeArgs(envelope(1), { min: 2, max: 2 });
    expect(r.ok).toBe(false);
    expect(!r.ok && r.reason).toBe(
      'This change was saved by an old version of Schoolhouse (change format 1) that this sync server no longer reads (formats 2 only). Nothing was saved: ask your administrator for a sync server that reads format 1 and resend it then, or enter the change again and discard this one.',
    );
  });

  it('upgrades an older format through each step in order', () => {
    UPGRADES[1] = (_name, args) => ({ ...(args as object), step1: true });
    UPGRADES[2] = (_name, args) => ({ ...(args as object), step2: (args as { step1?: boolean }).step1 === true });
    expect(upgradeArgs(envelope(1, { a: 1 }), { min: 1, max: 3 })).toEqual({ ok: true, args: { a: 1, step1: true, step2: true } });
    expect(upgradeArgs(envelope(2, { a: 1 }), { min: 1, max: 3 })).toEqual({ ok: true, args: { a: 1, step2: false } });
    expect(upgradeArgs(envelope(3, { a: 1 }), { min: 1, max: 3 })).toEqual({ ok: true, args: { a: 1 } });
  });
});
