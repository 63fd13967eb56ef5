/**
 * What the firmware accepts and the guest pays for (psp-sev-api.md §14.4, §14.6;
 * reference §3.5, §4.4): a wrong shared-regions list, and replayed, relocated or
 * reordered packets. Every migration here completes without an error; the lab compares
 * the guest's view on the target right after resume with the source's at stop.
 */
import { describe, expect, it } from 'vitest';
import { differingPages, forEachGuestPage } from '../../migration/guest-image.js';
import type { LabHost } from '../../migration/lab-host.js';
import { makeLab, runUntil } from './test-support/lab.js';

function page(h: LabHost, i: number): Uint8Array {
  let out = new Uint8Array(0);
  forEachGuestPage(h.rt.host, (_, b) => (out = b.slice()), i, 1);
  return out;
}

/** Runs to the end, comparing src and dst at dst's resume (and keeping dst's view of `keep` pages then). */
function completeAndCompare(over: Parameters<typeof makeLab>[0], keep: number[] = []) {
  let diff: number[] | undefined;
  const atResume = new Map<number, Uint8Array>();
  const t = makeLab(over, 1, {
    hooks: {
      onTargetResumed: (h) => {
        diff = differingPages(t.lab.host('src')!.rt.host, h.rt.host);
        for (const i of keep) atResume.set(i, page(h, i));
      },
    },
  });
  runUntil(t.lab);
  return { ...t, diff: diff!, atResume };
}

describe('accepted by the firmware, visible in guest memory', () => {
  it('a wrong shared-regions list: the dropped shared ring and the added private range read garbage on the target', { timeout: 300_000 }, () => {
    const t = completeAndCompare({ faults: { sharedList: { drop: [{ gpa: '0x4000000', npages: 16 }], add: [{ gpa: '0x4800000', npages: 16 }] } } }, [0x4000]);
    expect(t.lab.host('src')!.source.status).toBe('completed');
    expect(t.lab.host('dst')!.target.status).toBe('completed');
    expect(t.of('migration.error')).toHaveLength(0);
    const expected = [...Array.from({ length: 16 }, (_, i) => 0x4000 + i), ...Array.from({ length: 16 }, (_, i) => 0x4800 + i)];
    expect(t.diff).toEqual(expected);
    // The ring is shared in the guest's page tables on both sides: at resume the target guest read raw DRAM, i.e. ciphertext.
    expect(t.lab.host('dst')!.rt.host.kernel.pt.isShared(0x4000000)).toBe(true);
    const text = (b: Uint8Array): string => String.fromCharCode(...b.subarray(0, 16));
    expect(text(page(t.lab.host('src')!, 0x4000))).toBe('kvm-lab guest pa');
    expect(text(t.atResume.get(0x4000)!)).not.toBe('kvm-lab guest pa');
  });

  it('a replayed packet from an earlier pass: one stale page on the target', { timeout: 300_000 }, () => {
    const hot = Array.from({ length: 1638 }, (_, i) => 0x4010 + i);
    const t = completeAndCompare({ faults: { tamper: { mode: 'replay', range: { gpa: '0x4010000', npages: 1638 } } } }, hot);
    const tamper = t.last('wire.tamper')!;
    const off = Number(/pc\.ram:(\d+)/.exec(tamper.detail)![1]);
    expect(t.of('migration.error')).toHaveLength(0);
    expect(t.of('psp.command', 'dst').filter((e) => e.payload.cmd === 'RECEIVE_UPDATE_DATA' && e.payload.status !== 'SUCCESS')).toHaveLength(0);
    expect(t.diff).toEqual([off / 4096]);
    // The stale page is an older write of the same page: same page tag, older write number.
    const tag = (b: Uint8Array): string => String.fromCharCode(...b.subarray(0, 64));
    const src = tag(page(t.lab.host('src')!, off / 4096));
    const dst = tag(t.atResume.get(off / 4096)!);
    expect(dst.slice(0, 30)).toBe(src.slice(0, 30));
    expect(Number(/write #(\d+)/.exec(dst)![1])).toBeLessThan(Number(/write #(\d+)/.exec(src)![1]));
  });

  for (const mode of ['relocate', 'reorder'] as const) {
    it(`${mode === 'relocate' ? 'relocated' : 'reordered'} packets are accepted: ${mode === 'relocate' ? 'two pages hold each other’s data' : 'harmless, each record names its page'}`, { timeout: 120_000 }, () => {
      const t = makeLab({ faults: { tamper: { mode, packet: 300 } } });
      runUntil(t.lab, () => t.of('wire.tamper').length > 0);
      const tamper = t.last('wire.tamper')!;
      const [a, b] = [...tamper.detail.matchAll(/pc\.ram:(\d+)/g)].map((m) => Number(m[1]) / 4096);
      runUntil(t.lab, () => t.of('migration.load', 'dst').some((e) => e.payload.streamOffset > tamper.streamOffset + 20_000));
      expect(t.of('migration.error')).toHaveLength(0);
      const src = t.lab.host('src')!;
      const dst = t.lab.host('dst')!;
      // Pages of the low 16 MiB the guest never writes after boot: their source contents are stable.
      expect(page(src, a)).not.toEqual(page(src, b));
      if (mode === 'relocate') {
        expect(page(dst, a)).toEqual(page(src, b));
        expect(page(dst, b)).toEqual(page(src, a));
      } else {
        expect(page(dst, a)).toEqual(page(src, a));
        expect(page(dst, b)).toEqual(page(src, b));
      }
    });
  }
});
