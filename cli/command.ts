/**
 * The CLI's command contract. Each command is one file in `cli/commands/`, registered in
 * `cli/commands/index.ts`. Commands write through the {@link CliIo} they are given (so
 * tests can capture output) and return an exit code: 0 success, 1 a check that did not
 * hold, 2 bad usage or input (after one line on stderr saying what was wrong).
 */

/** Where a command reads and writes. */
export interface CliIo {
  stdout(text: string): void;
  stderr(text: string): void;
  /** Reads a file as UTF-8; throws an Error whose message names the file. */
  readFile(path: string): string;
  /** Writes a file (binary or text), creating folders as needed. */
  writeFile(path: string, data: string | Uint8Array): void;
  /** All of standard input as text. */
  readStdin(): Promise<string>;
}

/** A usage or input error: printed as one line on stderr, exit code 2. */
export class UsageError extends Error {
  override name = 'UsageError';
}

/** One CLI command. */
export interface CliCommand {
  name: string;
  /** One line for `--help`. */
  summary: string;
  /** Full usage text for `kvm-lab help NAME` and `NAME --help`. */
  usage: string;
  run(args: string[], io: CliIo): Promise<number> | number;
}

/**
 * Splits `args` into flags and positionals. `spec` maps each known option to whether it
 * takes a value; an unknown option is a UsageError.
 */
export function parseOptions(
  args: string[],
  spec: Record<string, 'flag' | 'value'>,
): { opts: Record<string, string | true>; rest: string[] } {
  const opts: Record<string, string | true> = {};
  const rest: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    if (a === '--') {
      rest.push(...args.slice(i + 1));
      break;
    }
    if (!a.startsWith('-') || a === '-') {
      rest.push(a);
      continue;
    }
    const [name, inline] = a.split(/=(.*)/s, 2) as [string, string | undefined];
    const kind = spec[name];
    if (!kind) throw new UsageError(`unknown option ${name}`);
    if (kind === 'flag') {
      if (inline !== undefined) throw new UsageError(`option ${name} takes no value`);
      opts[name] = true;
    } else {
      const v = inline ?? args[++i];
      if (v === undefined) throw new UsageError(`option ${name} needs a value`);
      opts[name] = v;
    }
  }
  return { opts, rest };
}
