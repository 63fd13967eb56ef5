/** `kvm-lab events`: the event log of a built-in scenario, as JSON lines. */
import { Engine } from '../../workers/api/index.js';
import { DocumentError, parseJson } from '../../workers/core/documents.js';
import { toJsonLines } from '../../workers/core/event-log.js';
import type { Json } from '../../workers/core/events.js';
import { UsageError, parseOptions, type CliCommand } from '../command.js';

export const eventsCommand: CliCommand = {
  name: 'events',
  summary: 'print the event log of a built-in scenario as JSON lines',
  usage: `usage: kvm-lab events [--scenario NAME] [--seed N] [--steps N]
       kvm-lab events --session FILE

Runs the scenario (default: hello) until it goes idle, or for N actions, and prints
every event as one JSON object per line: {seq, t, host, component, kind, payload}.
With --session, replays a saved kvm-lab/session document (the lab's export) to its
cursor and prints the events visible there.`,
  run(args, io) {
    const { opts, rest } = parseOptions(args, {
      '--scenario': 'value',
      '--seed': 'value',
      '--steps': 'value',
      '--session': 'value',
    });
    if (rest.length) throw new UsageError(`unexpected argument ${rest[0]}`);
    if (typeof opts['--session'] === 'string') {
      const file = opts['--session'];
      const engine = new Engine();
      let doc: Json;
      try {
        doc = parseJson(io.readFile(file));
      } catch (err) {
        throw new UsageError(err instanceof DocumentError ? `${file}: ${err.message}` : (err as Error).message);
      }
      const r = engine.importSession(doc);
      if (!r.ok) throw new UsageError(`${file}: ${r.error}`);
      io.stdout(toJsonLines(engine.events()));
      return 0;
    }
    const seed = opts['--seed'] === undefined ? undefined : parseCount(opts['--seed'] as string, '--seed');
    const steps = opts['--steps'] === undefined ? 10_000_000 : parseCount(opts['--steps'] as string, '--steps');
    const engine = new Engine();
    const loaded = engine.load((opts['--scenario']) ?? 'hello', seed);
    if (!loaded.ok) throw new UsageError(loaded.error);
    engine.step(steps);
    io.stdout(toJsonLines(engine.events()));
    return 0;
  },
};

/** Parses a non-negative integer option. */
export function parseCount(v: string, name: string): number {
  if (!/^\d+$/.test(v)) throw new UsageError(`${name} expects a non-negative integer, got "${v}"`);
  return Number(v);
}
