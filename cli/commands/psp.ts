/**
 * `kvm-lab psp run [--check] FILE...`: runs psp-script v1 files (reference §17) against
 * fresh emulated PSPs and prints the result document(s) as JSON: one object for one
 * file, an array for several. Exit 0 when the scripts ran (even if expectations fail);
 * with --check, 1 when any expectation fails (each named on stderr by file and step);
 * 2 for usage errors and unreadable files.
 */
import { runPspScript } from '../../workers/psp/script/index.js';
import { UsageError, parseOptions, type CliCommand, type CliIo } from '../command.js';

function readScript(io: CliIo, file: string): string {
  try {
    return io.readFile(file);
  } catch (err) {
    const msg = err instanceof Error ? err.message : String(err);
    throw new UsageError(msg.includes(file) ? msg : `${file}: ${msg}`);
  }
}

export const pspCommand: CliCommand = {
  name: 'psp',
  summary: 'run psp-script files against emulated SEV firmware (PSP)',
  usage: `usage: kvm-lab psp run [--check] [--instructor] FILE...

Runs each psp-script v1 file (format "kvm-lab/psp-script") on fresh platforms and
prints its result document (format "kvm-lab/psp-result") as JSON: one object for one
FILE, an array in the order given for several.

  --check       compare every step with its "expect"; exit 1 on any mismatch and
                name the file and step of each on stderr
  --instructor  build the PSPs in instructor mode and add each platform's key log
                (TEK/TIK of every send session) to the result as "keyLogs"

Exit status: 0 the scripts ran (expectations may still fail without --check),
1 a mismatch with --check, 2 usage error or unreadable FILE.`,
  run(args, io) {
    const [sub, ...rest] = args;
    if (sub !== 'run') throw new UsageError(sub === undefined ? 'psp needs a subcommand: run' : `unknown psp subcommand "${sub}"`);
    const { opts, rest: files } = parseOptions(rest, { '--check': 'flag', '--instructor': 'flag' });
    if (files.length === 0) throw new UsageError('psp run needs at least one FILE');
    const texts = files.map((f) => readScript(io, f));
    const instructor = opts['--instructor'] === true;
    let failed = 0;
    const results = files.map((file, i) => {
      const run = runPspScript(texts[i], file, { instructor });
      for (const m of run.mismatches) {
        failed++;
        if (opts['--check']) io.stderr(`${file}: ${m.step < 0 ? 'script' : `steps[${m.step}]`}: ${m.message}\n`);
      }
      return instructor ? { ...run.result, keyLogs: run.keyLogs } : run.result;
    });
    io.stdout(JSON.stringify(files.length === 1 ? results[0] : results, null, 2) + '\n');
    return opts['--check'] && failed > 0 ? 1 : 0;
  },
};
