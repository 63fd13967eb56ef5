/** `kvm-lab migrate`: run a sev-migration scenario; print its event log, or write the instructor export. */
import { DocumentError, parseJson } from '../../workers/core/documents.js';
import { VirtualClock } from '../../workers/core/clock.js';
import { EventLog, toJsonLines } from '../../workers/core/event-log.js';
import { SeededRng } from '../../workers/core/rng.js';
import { parseScenario, type ScenarioDoc } from '../../workers/core/scenario.js';
import { MigrationLab } from '../../workers/machines/sev-migration/migration-lab.js';
import { parseMigrationParams } from '../../workers/machines/sev-migration/params.js';
import { migrationReport } from '../../workers/machines/sev-migration/report.js';
import { builtinScenarioDocs, machineKinds } from '../../workers/scenarios/index.js';
import { UsageError, parseOptions, type CliCommand, type CliIo } from '../command.js';
import { parseCount } from './events.js';
import { MigrationExport } from './migrate-export.js';

function scenarioDoc(name: string | undefined, file: string | undefined, io: CliIo): ScenarioDoc {
  try {
    if (file !== undefined) return parseScenario(parseJson(io.readFile(file)), machineKinds);
    const want = name ?? 'default';
    const docs = builtinScenarioDocs.map((d) => parseScenario(d, machineKinds)).filter((d) => d.machine === 'sev-migration');
    const doc = docs.find((d) => d.name === want);
    if (!doc) throw new UsageError(`unknown migration scenario "${want}" (known: ${docs.map((d) => d.name).join(', ')})`);
    return doc;
  } catch (err) {
    if (err instanceof DocumentError) throw new UsageError(`${file ?? name}: ${err.message}`);
    throw err;
  }
}

export const migrateCommand: CliCommand = {
  name: 'migrate',
  summary: 'run a live-migration scenario; print its events, or write the instructor export',
  usage: `usage: kvm-lab migrate [--scenario NAME | --file SCENARIO.json] [--seed N] [--out DIR] [--max-steps N]

Runs a sev-migration scenario (default: "default") until its script is over — the
migrations ended and the last target ran for runAfterMs of virtual time — and prints
every event as one JSON object per line. With --out DIR it writes the instructor export
instead: stream.bin (the migration stream), keys.log (TEK/TIK per send session),
src-guest.bin / dst-guest.bin (guest RAM as the guest reads it: the source when it
stopped, the target after it resumed) and report.json. See docs/stream-format.md.`,
  run(args, io) {
    const { opts, rest } = parseOptions(args, { '--scenario': 'value', '--file': 'value', '--seed': 'value', '--out': 'value', '--max-steps': 'value' });
    if (rest.length) throw new UsageError(`unexpected argument ${rest[0]}`);
    if (opts['--scenario'] !== undefined && opts['--file'] !== undefined) throw new UsageError('--scenario and --file exclude each other');
    const doc = scenarioDoc(opts['--scenario'] as string | undefined, opts['--file'] as string | undefined, io);
    if (doc.machine !== 'sev-migration') throw new UsageError(`${doc.name}: not a sev-migration scenario (machine "${doc.machine}")`);
    const seed = opts['--seed'] === undefined ? (doc.seed ?? 0) : parseCount(opts['--seed'] as string, '--seed');
    const maxSteps = opts['--max-steps'] === undefined ? 10_000_000 : parseCount(opts['--max-steps'] as string, '--max-steps');
    const out = opts['--out'] as string | undefined;
    const params = parseMigrationParams(doc.params ?? {}, 'params');
    if (out !== undefined) params.instructor = true;
    const clock = new VirtualClock();
    const log = new EventLog(clock);
    const ref: { lab?: MigrationLab } = {};
    const exp = out === undefined ? undefined : new MigrationExport(out, (t) => ref.lab?.hops.find((h) => h.to.name === t)?.from);
    const lab = new MigrationLab({ log, rng: SeededRng.fromSeed(seed), clock }, params, exp ? { streams: exp.onStream, hooks: exp.hooks } : {});
    ref.lab = lab;
    let steps = 0;
    while (!lab.finished && steps < maxSteps && lab.step()) steps++;
    if (!exp) {
      io.stdout(toJsonLines(log.slice()));
      return 0;
    }
    const keys = lab.hosts.map((h) => h.rt.host.psp.keyLog() ?? '');
    exp.finish(keys, (extra) => migrationReport(lab, doc.name, seed, { steps, events: log.length, ...extra }));
    io.stdout(`kvm-lab: ${doc.name} (seed ${seed}): ${steps} steps, ${log.length} events; wrote ${out}\n`);
    return 0;
  },
};
