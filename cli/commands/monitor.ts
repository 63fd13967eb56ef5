/** `kvm-lab monitor`: boot a scenario, then answer HMP commands read from stdin. */
import { Engine } from '../../workers/api/index.js';
import { UsageError, parseOptions, type CliCommand } from '../command.js';
import { parseCount } from './events.js';

export const monitorCommand: CliCommand = {
  name: 'monitor',
  summary: "boot a scenario, then answer QEMU monitor (HMP) commands from stdin",
  usage: `usage: kvm-lab monitor --scenario NAME [--seed N]

Boots the scenario (e.g. sev-boot-upstream-efi) to the end of its boot, then reads one HMP
command per line from standard input (help, info status, info sev, info mem-encryption,
x, xp, system_reset, stop, cont) and prints "(qemu) command" and QEMU's answer.`,
  async run(args, io) {
    const { opts, rest } = parseOptions(args, { '--scenario': 'value', '--seed': 'value' });
    if (rest.length) throw new UsageError(`unexpected argument ${rest[0]}`);
    const name = opts['--scenario'];
    if (typeof name !== 'string') throw new UsageError('--scenario NAME is required');
    const seed = opts['--seed'] === undefined ? undefined : parseCount(opts['--seed'] as string, '--seed');
    const engine = new Engine();
    const loaded = engine.load(name, seed);
    if (!loaded.ok) throw new UsageError(loaded.error);
    while ((engine.state().summary as { booting?: boolean }).booting) engine.step(1);
    const input = await io.readStdin();
    for (const line of input.split('\n')) {
      if (line.trim() === '') continue;
      const r = engine.input({ monitor: line.replace(/\r$/, '') });
      io.stdout(`(qemu) ${line}\n${r.text ? `${r.text}\n` : ''}`);
    }
    return 0;
  },
};
