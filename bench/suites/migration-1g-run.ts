/**
 * Runs one `sev-migration` scenario to its end for the migration-1g suite and times its
 * phases in wall time from the run's events (so the same tracker serves the one-process
 * MigrationLab and the WorkerLab whose hosts are Web Workers): boot + fill, SETUP → end of
 * the first pass, the later passes, stop-and-copy → target resumed, the target's run after.
 */
import { VirtualClock } from '../../workers/core/clock.js';
import { EventLog } from '../../workers/core/event-log.js';
import type { EngineEvent } from '../../workers/core/events.js';
import { SeededRng } from '../../workers/core/rng.js';
import type { HostPlatform } from '../../workers/hosts/worker-lab.js';
import { WorkerLab } from '../../workers/hosts/worker-lab.js';
import { MigrationLab } from '../../workers/machines/sev-migration/migration-lab.js';
import type { MigrationScenarioParams } from '../../workers/machines/sev-migration/params.js';
import { memoryInUse } from '../suite.js';

/** Wall-time marks (ms from the start of the run) of the migration's moments. */
export interface PhaseMarks {
  /** `migrate` reached the source (SETUP). */
  migrate?: number;
  /** The first batch of the second pass: the first pass is over. */
  pass1?: number;
  /** The first SECTION_END batch: the source guest stopped for the final copy. */
  stop?: number;
  /** The target completed loading and resumed its guest. */
  resumed?: number;
  /** The run is over (the target ran `runAfterMs`). */
  end: number;
}

/** What one run measured. */
export interface LabRun {
  marks: PhaseMarks;
  steps: number;
  /** Source pages by kind, summed over its `migration.batch` events, and the first pass's encrypted pages. */
  pages: { all: number; encrypted: number; normal: number; zero: number; firstPassEncrypted: number; passes: number };
  /** Encrypted pages the target loaded (its `migration.load` events). */
  loadedEncrypted: number;
  /** Working-set pages touched when `migrate` went out, and pages the last guest tick before it wrote. */
  touchedAtMigrate: number;
  lastTickPagesBeforeMigrate: number;
  /** The source's final status and virtual times (ms). */
  status: string;
  virtualTotalMs: number;
  virtualDowntimeMs: number;
  /** Peak memory seen by this thread (RSS in Node), bytes. */
  peak: number | undefined;
}

/** A lab the runner can drive. */
interface Driver {
  step(): Promise<boolean> | boolean;
  readonly finished: boolean;
}

/** Runs `params` with seed `seed`: one process (no platform) or hosts on `platform`. */
export async function runMigration(params: MigrationScenarioParams, seed: number, platform?: HostPlatform): Promise<LabRun> {
  const clock = new VirtualClock();
  const log = new EventLog(clock);
  const t0 = performance.now();
  const now = () => performance.now() - t0;
  const run: Omit<LabRun, 'marks' | 'steps' | 'peak'> = {
    pages: { all: 0, encrypted: 0, normal: 0, zero: 0, firstPassEncrypted: 0, passes: 0 },
    loadedEncrypted: 0,
    touchedAtMigrate: 0,
    lastTickPagesBeforeMigrate: 0,
    status: 'none',
    virtualTotalMs: NaN,
    virtualDowntimeMs: NaN,
  };
  const marks: Omit<PhaseMarks, 'end'> = {};
  log.subscribe((e: EngineEvent) => {
    const p = e.payload as Record<string, unknown>;
    switch (e.kind) {
      case 'guest.workload':
        if (e.host === 'src' && marks.migrate === undefined) {
          run.touchedAtMigrate = p.touched as number;
          run.lastTickPagesBeforeMigrate = p.pages as number;
        }
        break;
      case 'migration.status':
        if (p.side === 'source' && p.to === 'setup') marks.migrate ??= now();
        if (p.side === 'target' && p.to === 'completed') marks.resumed ??= now();
        break;
      case 'migration.batch': {
        if (e.host !== 'src') break;
        const pass = p.pass as number;
        if (pass > 1) marks.pass1 ??= now();
        if (p.section === 'end') marks.stop ??= now();
        const pg = run.pages;
        pg.all += p.pages as number;
        pg.encrypted += p.encrypted as number;
        pg.normal += p.normal as number;
        pg.zero += p.zero as number;
        if (pass === 1) pg.firstPassEncrypted += p.encrypted as number;
        pg.passes = Math.max(pg.passes, pass);
        break;
      }
      case 'migration.load':
        if (e.host === 'dst') run.loadedEncrypted += p.encrypted as number;
        break;
      case 'migration.done':
        if (p.side === 'source') {
          run.status = p.status as string;
          run.virtualTotalMs = p.totalTimeMs as number;
          run.virtualDowntimeMs = (p.downtimeMs as number | undefined) ?? NaN;
        }
        break;
    }
  });
  let worker: WorkerLab | undefined;
  let lab: Driver;
  if (platform) lab = worker = await WorkerLab.create({ log, clock }, params, seed, platform);
  else lab = new MigrationLab({ log, rng: SeededRng.fromSeed(seed), clock }, params);
  let peak = memoryInUse();
  let steps = 0;
  try {
    while (!lab.finished && (await lab.step())) {
      if (++steps % 64 === 0) peak = Math.max(peak ?? 0, memoryInUse() ?? 0) || undefined;
    }
  } finally {
    worker?.dispose();
  }
  return { ...run, marks: { ...marks, end: now() }, steps, peak };
}
