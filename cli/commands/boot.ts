/** `kvm-lab boot`: boot one SEV host and print the event log as JSON lines. */
import { Engine } from '../../workers/api/index.js';
import { toJsonLines } from '../../workers/core/event-log.js';
import { UsageError, parseOptions, type CliCommand } from '../command.js';
import { parseCount } from './events.js';

/** Parses `--mem` sizes: `1024`, `1024M`, `1G`, `4GiB` (MiB by default). */
export function parseMemMiB(v: string): number {
  const m = /^(\d+)\s*(m|mib|mb|g|gib|gb)?$/i.exec(v.trim());
  if (!m) throw new UsageError(`--mem expects a size such as 1024M or 4G, got "${v}"`);
  const n = Number(m[1]);
  return m[2] && /^g/i.test(m[2]) ? n * 1024 : n;
}

export const bootCommand: CliCommand = {
  name: 'boot',
  summary: 'boot an SEV guest (VMM, KVM, PSP, OVMF, kernel) and print the event log',
  usage: `usage: kvm-lab boot --abi v11|upstream [--efi|--no-efi] [--seed N] [--mem SIZE]
                     [--no-ovmf-feature] [--no-msr] [--policy N] [--ticks N]

Boots one SEV host from power-on to the running guest and prints every event as one JSON
object per line. --ticks runs that many workload ticks after the boot (default 0).`,
  run(args, io) {
    const { opts, rest } = parseOptions(args, {
      '--abi': 'value',
      '--efi': 'flag',
      '--no-efi': 'flag',
      '--seed': 'value',
      '--mem': 'value',
      '--no-ovmf-feature': 'flag',
      '--no-msr': 'flag',
      '--policy': 'value',
      '--ticks': 'value',
    });
    if (rest.length) throw new UsageError(`unexpected argument ${rest[0]}`);
    const abi = opts['--abi'];
    if (abi !== 'v11' && abi !== 'upstream') throw new UsageError('--abi must be v11 or upstream');
    if (opts['--efi'] && opts['--no-efi']) throw new UsageError('--efi and --no-efi exclude each other');
    const seed = opts['--seed'] === undefined ? 1 : parseCount(opts['--seed'] as string, '--seed');
    const memMiB = opts['--mem'] === undefined ? 1024 : parseMemMiB(opts['--mem'] as string);
    const policy = opts['--policy'] === undefined ? 1 : Number(opts['--policy']);
    const ticks = opts['--ticks'] === undefined ? 0 : parseCount(opts['--ticks'] as string, '--ticks');
    const scenario = {
      format: 'kvm-lab/scenario',
      version: 1,
      name: `sev-boot-${abi}`,
      title: 'SEV boot (CLI)',
      machine: 'sev-boot',
      seed,
      params: { abi, efi: !opts['--no-efi'], memMiB, ovmfFeature: !opts['--no-ovmf-feature'], guestWritesMsr: !opts['--no-msr'], policy },
    };
    const engine = new Engine();
    const loaded = engine.load(scenario, seed);
    if (!loaded.ok) throw new UsageError(loaded.error);
    while ((engine.state().summary as { booting?: boolean }).booting) engine.step(1);
    if (ticks) engine.step(ticks);
    io.stdout(toJsonLines(engine.events()));
    return 0;
  },
};
