// The workload's optional initial fill (fillPagesPerSecond): every working-set page once,
// in order, at the fill rate, then the pattern at pagesPerSecond; a migrated state
// carries an unfinished fill.
import { describe, expect, it } from 'vitest';
import type { EventLog } from '../core/event-log.js';
import { bootHost } from '../host/test-support/boot.js';
import { DEFAULT_WORKLOAD, type WorkloadParams } from './workload.js';

const FILL: WorkloadParams = { ...DEFAULT_WORKLOAD, workingSetMiB: 4, pattern: 'random', pagesPerSecond: 200, fillPagesPerSecond: 51_200, sharedWriteFraction: 0, tickMs: 10 };

/** Pages written per tick, from the guest.workload events. */
function perTick(log: EventLog): number[] {
  return log
    .slice()
    .filter((e) => e.kind === 'guest.workload')
    .map((e) => (e.payload as { pages: number }).pages);
}

/** The first `n` bits of the vmstate's touched bitmap, as 0/1. */
function touchedBits(hex: string, n: number): number[] {
  return Array.from({ length: n }, (_, i) => (parseInt(hex.slice((i >> 3) * 2, (i >> 3) * 2 + 2), 16) >> (i & 7)) & 1);
}

describe('workload fill', () => {
  it('writes every working-set page once, in order, at the fill rate, then runs at pagesPerSecond', () => {
    const { host, log } = bootHost({ workload: FILL });
    const w = host.workload!;
    expect(w.privatePages).toBe(1024);
    expect(w.filling).toBe(true);
    host.step(); // 512 pages per 10 ms tick
    expect(w.touchedPages).toBe(512);
    expect(touchedBits(w.vmstate().touched, 1024).indexOf(0)).toBe(512);
    host.step();
    expect(w.touchedPages).toBe(1024);
    expect(w.filling).toBe(false);
    for (let i = 0; i < 5; i++) host.step();
    expect(perTick(log)).toEqual([512, 512, 2, 2, 2, 2, 2]);
  });

  it('without fillPagesPerSecond the pattern runs at pagesPerSecond from the first tick', () => {
    const { host, log } = bootHost({ workload: { ...FILL, fillPagesPerSecond: undefined } });
    expect(host.workload!.filling).toBe(false);
    for (let i = 0; i < 3; i++) host.step();
    expect(perTick(log)).toEqual([2, 2, 2]);
    expect(host.workload!.touchedPages).toBeLessThanOrEqual(6);
  });

  it('a state saved mid-fill resumes the fill where it stopped', () => {
    const a = bootHost({ workload: FILL }).host;
    a.step();
    const { host: b, log } = bootHost({ workload: FILL }, 2);
    b.workload!.loadVmstate(a.workload!.vmstate());
    expect(b.workload!.touchedPages).toBe(512);
    b.step();
    expect(b.workload!.touchedPages).toBe(1024);
    expect(perTick(log)).toEqual([512]);
  });
});
