/** Figures for one SEV host: the boot, then touching every page of a 1 GiB guest (wall time, peak RSS). */
import { VirtualClock } from '../../workers/core/clock.js';
import { EventLog } from '../../workers/core/event-log.js';
import { SeededRng } from '../../workers/core/rng.js';
import { SevHost } from '../../workers/host/sev-host.js';
import { memoryInUse, peakFigure, type BenchSuite } from '../suite.js';

export const sevHostBench: BenchSuite = {
  name: 'sev host',
  browser: true,
  run({ where }) {
    const clock = new VirtualClock();
    const log = new EventLog(clock);
    let peak = memoryInUse();
    const t0 = performance.now();
    const host = new SevHost(
      { host: 'src', clock, rng: SeededRng.fromSeed(1), log, emit: (d) => void log.append(d) },
      { abi: 'upstream', efi: true, memMiB: 1024, ovmfFeature: true, guestWritesMsr: true, policy: 1,
        workload: { pagesPerSecond: 1_000_000, pattern: 'sequential', workingSetMiB: 1024, sharedPages: 16, sharedWriteFraction: 0, fill: 'random', tickMs: 10 } },
    );
    host.bootToEnd();
    const bootMs = performance.now() - t0;
    const t1 = performance.now();
    const all = host.workload!.privatePages;
    while (host.workload!.touchedPages < all) {
      host.step();
      peak = Math.max(peak ?? 0, memoryInUse() ?? 0) || undefined;
    }
    const touchMs = performance.now() - t1;
    return Promise.resolve([
      { name: 'boot to init (1 GiB guest, upstream, EFI)', where, value: bootMs, unit: 'ms' },
      { name: `touch every working-set page (${all} pages, private)`, where, value: touchMs, unit: 'ms' },
      { name: 'pages written per second (encrypted)', where, value: (all * 1000) / touchMs, unit: 'pages/s' },
      ...peakFigure(peak, where),
    ]);
  },
};
