// The engine API's reads of SEV hosts: page states and guest-memory digests, by name, in
// one process and with the hosts behind worker links — where a target just resumed
// holds exactly what its stopped source held.
import { describe, expect, it } from 'vitest';
import type { Json } from '../core/events.js';
import { PageState } from '../host/page-states.js';
import { inThreadPlatform } from '../hosts/test-support/platforms.js';
import dflt from '../scenarios/migration-default.json' with { type: 'json' };
import sevBoot from '../scenarios/sev-boot-upstream-efi.json' with { type: 'json' };
import { AsyncEngine } from './async-engine.js';
import { Engine } from './engine.js';

/** The default migration with a small working set, so it ends in seconds. */
function smallMigration(): Json {
  const doc = structuredClone(dflt) as unknown as { name: string; params: { guest: { workload: { workingSetMiB: number; pagesPerSecond: number } } } };
  doc.name = 'small-migration';
  doc.params.guest.workload.workingSetMiB = 4;
  doc.params.guest.workload.pagesPerSecond = 100;
  return doc;
}

/** A 256 MiB SEV guest booting, then writing. */
const bootingGuest: Json = {
  ...sevBoot,
  name: 'busy-boot',
  params: { ...sevBoot.params, memMiB: 256, workload: { pagesPerSecond: 2000, pattern: 'sequential', workingSetMiB: 8, sharedPages: 4, sharedWriteFraction: 0, fill: 'text', tickMs: 10 } },
};

describe('EngineApi host reads', () => {
  it('a booting SEV host: page states by name, a digest of what the guest reads, clear errors', () => {
    const e = new Engine();
    expect(e.load(bootingGuest).ok).toBe(true);
    expect(e.runUntil({ kind: 'guest.workload' }).ok).toBe(true);
    expect(e.hostNames()).toEqual(['src']);
    const states = e.pageStates('src');
    if (!states.ok) throw new Error(states.error);
    const touched = states.value.filter((b) => b & PageState.TOUCHED).length;
    expect(touched).toBeGreaterThan(0);
    const d = e.guestMemoryDigest('src');
    if (!d.ok) throw new Error(d.error);
    expect(d.value).toMatchObject({ pages: states.value.length, touched });
    expect(d.value.sha256).toMatch(/^[0-9a-f]{64}$/);
    // The next tick of the busy guest's workload changes its memory, so the digest moves.
    e.step(1);
    expect(e.runUntil({ kind: 'guest.workload' }).ok).toBe(true);
    expect((e.guestMemoryDigest('src') as { value: { sha256: string } }).value.sha256).not.toBe(d.value.sha256);
    expect(e.pageStates('dst')).toEqual({ ok: false, error: 'no host "dst" in scenario "busy-boot" (hosts: src)' });
    expect(e.load('hello').ok).toBe(true);
    expect(e.hostNames()).toEqual([]);
    expect(e.guestMemoryDigest('src')).toEqual({ ok: false, error: 'scenario "hello" has no SEV hosts' });
  });

  it('a target just resumed reads what its stopped source read, in one process and in workers alike', { timeout: 300_000 }, async () => {
    const doneOnTarget = { kind: 'migration.done', host: 'dst' };
    const one = new Engine();
    expect(one.load(smallMigration()).ok).toBe(true);
    expect(one.runUntil(doneOnTarget).ok).toBe(true);
    const src = one.guestMemoryDigest('src');
    const dst = one.guestMemoryDigest('dst');
    expect(src.ok && dst.ok).toBe(true);
    // Equal contents (the target has every page touched: it received the zero pages too).
    const sha = (d: typeof src) => (d.ok ? d.value.sha256 : d.error);
    expect(sha(dst)).toBe(sha(src));

    const workers = new AsyncEngine({ hosts: inThreadPlatform() });
    expect((await workers.load(smallMigration())).ok).toBe(true);
    expect((await workers.runUntil(doneOnTarget)).ok).toBe(true);
    expect(await workers.hostNames()).toEqual(['src', 'dst']);
    expect(await workers.guestMemoryDigest('src')).toEqual(src);
    expect(await workers.guestMemoryDigest('dst')).toEqual(dst);
    expect(await workers.pageStates('dst')).toEqual(one.pageStates('dst'));
    expect(await workers.guestMemoryDigest('hop2')).toEqual({ ok: false, error: 'no host "hop2" in scenario "small-migration" (hosts: src, dst)' });
  });
});
