/**
 * A clean migration and a second hop, end to end (reference §6.3): after each hop the
 * target guest reads exactly what the source guest read when it stopped; the target
 * resumes and keeps running its workload; the source is SENT and cannot run again; the
 * target of the first hop migrates on (it never had the blocker). And determinism: the
 * same seed gives the same stream bytes and event log.
 */
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { toJsonLines } from '../../core/event-log.js';
import { differingPages } from '../../migration/guest-image.js';
import { makeLab, runUntil } from './test-support/lab.js';

describe('two hops: src → dst → hop2', () => {
  it('each target matches its source byte for byte at resume and runs on; each source is SENT', { timeout: 600_000 }, () => {
    const diffs: Record<string, number[]> = {};
    const t = makeLab({ hop2: { startAfterMs: 500 } }, 1, {
      hooks: {
        onTargetResumed: (h) => {
          const from = t.lab.hops.find((x) => x.to === h)!.from;
          diffs[h.name] = differingPages(from.rt.host, h.rt.host);
        },
      },
    });
    runUntil(t.lab);
    const [src, dst, hop2] = ['src', 'dst', 'hop2'].map((n) => t.lab.host(n)!);
    expect(diffs).toEqual({ dst: [], hop2: [] });
    for (const h of [src, dst]) {
      expect(h.source.status).toBe('completed');
      expect(h.rt.host.psp.status().guests.map((g) => g.stateName)).toEqual(['SENT']);
      expect(h.rt.host.vmm.runstate).toBe('postmigrate');
      expect(h.monitor('cont').ok).toBe(false);
    }
    expect(hop2.target.status).toBe('completed');
    expect(hop2.rt.host.vmm.runstate).toBe('running');
    expect(hop2.rt.host.psp.status().guests.map((g) => g.stateName)).toEqual(['RUNNING']);
    // The target had no blocker: it migrated on with the list it received.
    expect(dst.rt.host.vmm.blockers.allowed).toBe(true);
    expect(hop2.rt.host.vmm.shared.regions()).toEqual(src.rt.host.vmm.shared.regions());
    // A private page the guest does not touch after boot (the kernel image at 16 MiB): the
    // same plaintext on every host, different DRAM bytes — each target has a fresh VEK.
    const raw = (n: string): Uint8Array => {
      const host = t.lab.host(n)!.rt.host;
      return host.hw.memory.read(host.vmm.ram.block('pc.ram').spa + 0x1000000, 64)!;
    };
    const view = (n: string): Uint8Array => {
      const host = t.lab.host(n)!.rt.host;
      return host.psp.guestView(host.vmm.sev.handle)!.read(host.vmm.ram.block('pc.ram').spa + 0x1000000, 64)!;
    };
    expect(view('dst')).toEqual(view('src'));
    expect(view('hop2')).toEqual(view('src'));
    expect(raw('dst')).not.toEqual(raw('src'));
    expect(raw('hop2')).not.toEqual(raw('dst'));
    // Two send sessions, two unrelated VEKs: RECEIVE_START made a new context each time.
    expect(t.of('migration.sev').filter((e) => e.payload.op === 'RECEIVE_START').map((e) => e.host)).toEqual(['dst', 'hop2']);
    // The guest keeps running its workload on the last host.
    const after = t.of('guest.workload', 'hop2');
    expect(after.length).toBeGreaterThan(3);
    expect(after.at(-1)!.payload.pages).toBeGreaterThan(0);
    // Every step of the handshake is in the log in order.
    const ops = t.of('migration.sev', 'src').map((e) => e.payload.op);
    expect(ops).toEqual(['SEND_START (length query)', 'SEND_START', 'SEND_FINISH']);
    const info = src.hmp.execute('info migrate');
    expect(info[7]).toBe('Migration status: completed');
    expect(info).toContain('page size: 4 kbytes');
    expect(info.find((l) => l.startsWith('downtime: '))).toMatch(/^downtime: \d+ milliseconds$/);
  });
});

describe('determinism', () => {
  const run = (seed: number, steps: number) => {
    const h = createHash('sha256');
    let bytes = 0;
    const t = makeLab({}, seed, {
      streams: (_, which, b) => {
        if (which !== 'sent') return;
        h.update(b);
        bytes += b.length;
      },
    });
    runUntil(t.lab, () => false, steps);
    return { stream: h.digest('hex'), bytes, log: toJsonLines(t.log.slice()) };
  };

  it('the same seed gives the same stream bytes and event log; another seed does not', { timeout: 300_000 }, () => {
    const a = run(1, 1500);
    const b = run(1, 1500);
    expect(a.bytes).toBeGreaterThan(50 * 4096);
    expect(b.stream).toBe(a.stream);
    expect(b.log).toBe(a.log);
    const c = run(2, 1500);
    expect(c.stream).not.toBe(a.stream);
  });
});
