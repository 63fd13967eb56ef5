/** Test helpers: a migration lab from the default scenario with overrides, and ways to run it. */
import { VirtualClock } from '../../../core/clock.js';
import { EventLog } from '../../../core/event-log.js';
import type { EngineEvent, EventKind, EventKinds, Json } from '../../../core/events.js';
import { SeededRng } from '../../../core/rng.js';
import dflt from '../../../scenarios/migration-default.json' with { type: 'json' };
import { MigrationLab, type LabHooks, type StreamObserver } from '../migration-lab.js';
import { parseMigrationParams } from '../params.js';

/** Shallow-merges `over` into each top-level object of the default scenario's params. */
export function defaultParams(over: Record<string, Json> = {}): Record<string, Json> {
  const base = JSON.parse(JSON.stringify(dflt.params)) as Record<string, Json>;
  for (const [k, v] of Object.entries(over)) {
    const b = base[k];
    base[k] = b && typeof b === 'object' && !Array.isArray(b) && v && typeof v === 'object' && !Array.isArray(v) ? { ...b, ...v } : v;
  }
  return base;
}

/** A lab of the default scenario with `over`, its log, and the log's events by kind. */
export function makeLab(over: Record<string, Json> = {}, seed = 1, opts: { hooks?: LabHooks; streams?: StreamObserver } = {}) {
  const clock = new VirtualClock();
  const log = new EventLog(clock);
  const lab = new MigrationLab({ log, rng: SeededRng.fromSeed(seed), clock }, parseMigrationParams(defaultParams(over), 'params'), opts);
  const of = <K extends EventKind>(kind: K, host?: string): EngineEvent<K>[] => log.slice().filter((e): e is EngineEvent<K> => e.kind === kind && (host === undefined || e.host === host));
  const last = <K extends EventKind>(kind: K, host?: string): EventKinds[K] | undefined => of(kind, host).at(-1)?.payload;
  return { lab, log, of, last };
}

/** Steps until `done()` (or the run is finished / idle); returns the steps taken. */
export function runUntil(lab: MigrationLab, done: () => boolean = () => lab.finished, maxSteps = 200_000): number {
  let n = 0;
  while (!done() && n < maxSteps && lab.step()) n++;
  return n;
}
