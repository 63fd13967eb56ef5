/**
 * `kvm-lab vgic run [--check] FILE...`: runs vgic-script v1 files (reference §11) on the
 * KVM arm64 vGIC-v3 model and prints the result document(s): one object for one file, a
 * JSON array in the order given for several; each file starts with no VM.
 *
 * Exit 0 whenever the scripts could be read and run, even if expectations fail; with
 * --check, 1 on any mismatch (each named on stderr by file and step); 2 for usage errors
 * (no FILE, unreadable FILE, not JSON). A script that is not vgic-script v1, or a step
 * the runner cannot perform, is reported in the result and as one line on stderr naming
 * the file and the step.
 */
import { checkVgicResult, runVgicScript, type VgicResult } from '../../workers/vgic/index.js';
import { UsageError, parseOptions, type CliCommand, type CliIo } from '../command.js';

function readScript(io: CliIo, file: string): unknown {
  let text: string;
  try {
    text = io.readFile(file);
  } catch (err) {
    const msg = err instanceof Error ? err.message : String(err);
    throw new UsageError(msg.includes(file) ? msg : `${file}: ${msg}`);
  }
  try {
    return JSON.parse(text) as unknown;
  } catch (err) {
    throw new UsageError(`${file}: not valid JSON (${(err as Error).message.split('\n')[0]})`);
  }
}

/** The result as JSON with one step per line, so long runs stay readable. */
export function formatVgicResult(r: VgicResult, indent = ''): string {
  const { steps, events, ...head } = r;
  const lines = Object.entries(head).map(([k, v]) => `${indent}  ${JSON.stringify(k)}: ${JSON.stringify(v)}`);
  const stepLines = steps.map((s) => `${indent}    ${JSON.stringify(s)}`).join(',\n');
  lines.push(`${indent}  "steps": [${steps.length ? `\n${stepLines}\n${indent}  ` : ''}]`);
  if (events) lines.push(`${indent}  "events": ${JSON.stringify(events)}`);
  return `${indent}{\n${lines.join(',\n')}\n${indent}}`;
}

export const vgicCommand: CliCommand = {
  name: 'vgic',
  summary: 'run vgic-script files against the KVM arm64 vGIC-v3 model',
  usage: `usage: kvm-lab vgic run [--check] FILE...

Runs each vgic-script v1 file (format "kvm-lab/vgic-script") on a fresh kernel model
(profile from the script's "kernel": "5.12", "5.13" (default) or "5.16") and prints its
result document (format "kvm-lab/vgic-result"): one object for one FILE, an array in
the order given for several.

  --check   compare every step that has "expect" with its result; exit 1 on any
            mismatch and name the file and step of each on stderr

Exit status: 0 the scripts ran (expectations may still fail without --check),
1 a mismatch with --check, 2 usage error, unreadable FILE or FILE not JSON.`,
  run(args, io) {
    const [sub, ...rest] = args;
    if (sub !== 'run') throw new UsageError(sub === undefined ? 'vgic needs a subcommand: run' : `unknown vgic subcommand "${sub}" (try: run)`);
    const { opts, rest: files } = parseOptions(rest, { '--check': 'flag' });
    if (files.length === 0) throw new UsageError('vgic run needs at least one FILE');
    const scripts = files.map((f) => readScript(io, f));
    const results = scripts.map((s, i) => runVgicScript(s, { file: files[i] }));
    for (const r of results) {
      const problem = r.error ?? r.steps.map((s) => ('error' in s ? s.error : undefined)).find((e) => e !== undefined);
      if (problem !== undefined) io.stderr(`kvm-lab: ${r.file}: ${problem}\n`);
    }
    io.stdout(results.length === 1 ? `${formatVgicResult(results[0])}\n` : `[\n${results.map((r) => formatVgicResult(r, '  ')).join(',\n')}\n]\n`);
    if (!opts['--check']) return 0;
    let mismatches = 0;
    results.forEach((r, i) => {
      for (const m of checkVgicResult(scripts[i], r)) {
        mismatches++;
        io.stderr(`kvm-lab: ${r.file}: ${m.message}\n`);
      }
    });
    return mismatches ? 1 : 0;
  },
};
