/**
 * The headless CLI over the engine: `npm run cli -- <command> [options]`, or the
 * package's `kvm-lab` bin. Dispatches to `cli/commands/*`.
 */
import { LAB_VERSION } from '../workers/api/index.js';
import { UsageError, type CliIo } from './command.js';
import { commands } from './commands/index.js';

const HELP = () => `kvm-lab ${LAB_VERSION}: a teaching lab for AMD SEV live migration and the KVM arm64 vGIC-v3

usage: kvm-lab <command> [options]
       kvm-lab help <command>
       kvm-lab --version

commands:
${commands.map((c) => `  ${c.name.padEnd(10)} ${c.summary}`).join('\n')}
`;

/** Runs the CLI with `argv` (without node and the script); returns the exit code. */
export async function runCli(argv: string[], io: CliIo): Promise<number> {
  try {
    const [first, ...rest] = argv;
    if (first === undefined || first === '--help' || first === '-h') {
      io.stdout(HELP());
      return first === undefined ? 2 : 0;
    }
    if (first === '--version' || first === '-V') {
      io.stdout(`${LAB_VERSION}\n`);
      return 0;
    }
    if (first === 'help') {
      const c = rest[0] === undefined ? undefined : commands.find((x) => x.name === rest[0]);
      if (rest[0] !== undefined && !c) throw new UsageError(`unknown command "${rest[0]}" (try --help)`);
      io.stdout(c ? `${c.usage}\n` : HELP());
      return 0;
    }
    if (first.startsWith('-')) throw new UsageError(`unknown option ${first} (try --help)`);
    const command = commands.find((c) => c.name === first);
    if (!command) throw new UsageError(`unknown command "${first}" (try --help)`);
    if (rest.includes('--help') || rest.includes('-h')) {
      io.stdout(`${command.usage}\n`);
      return 0;
    }
    return await command.run(rest, io);
  } catch (err) {
    const msg = err instanceof Error ? err.message : String(err);
    io.stderr(`kvm-lab: ${msg.split('\n')[0]}\n`);
    return err instanceof UsageError ? 2 : 2;
  }
}
