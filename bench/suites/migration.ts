/**
 * Live migration of the `default` scenario end to end in Node (one process, both hosts):
 * wall time from the first step until the script is over, pages moved per second of wall
 * time (encrypted pages through both PSPs, plain and zero pages), and peak RSS. The 1 GiB
 * two-worker figure in Chromium is the performance work's.
 */
import { VirtualClock } from '../../workers/core/clock.js';
import { EventLog } from '../../workers/core/event-log.js';
import { SeededRng } from '../../workers/core/rng.js';
import { MigrationLab } from '../../workers/machines/sev-migration/migration-lab.js';
import { parseMigrationParams } from '../../workers/machines/sev-migration/params.js';
import dflt from '../../workers/scenarios/migration-default.json' with { type: 'json' };
import { memoryInUse, peakFigure, type BenchSuite } from '../suite.js';

export const migrationBench: BenchSuite = {
  name: 'migration',
  browser: true,
  run({ where }) {
    const clock = new VirtualClock();
    const log = new EventLog(clock);
    const lab = new MigrationLab({ log, rng: SeededRng.fromSeed(dflt.seed), clock }, parseMigrationParams(dflt.params, 'params'));
    let peak = memoryInUse();
    let steps = 0;
    const t0 = performance.now();
    while (!lab.finished && lab.step()) {
      if (++steps % 64 === 0) peak = Math.max(peak ?? 0, memoryInUse() ?? 0) || undefined;
    }
    const ms = performance.now() - t0;
    const src = lab.host('src')!.source;
    const c = src.counters!;
    const pages = c.normal + c.duplicate;
    return Promise.resolve([
      { name: `default scenario end to end (${steps} steps, ${src.status})`, where, value: ms, unit: 'ms' },
      { name: 'pages migrated per wall second (all passes)', where, value: (pages * 1000) / ms, unit: 'pages/s' },
      { name: 'encrypted pages per wall second (SEND + RECEIVE through the PSPs)', where, value: (c.encrypted * 1000) / ms, unit: 'pages/s' },
      { name: 'virtual migration time / downtime', where, value: src.totalTimeMs() / Math.max(1, src.downtimeMs()), unit: 'ratio' },
      ...peakFigure(peak, where),
    ]);
  },
};
