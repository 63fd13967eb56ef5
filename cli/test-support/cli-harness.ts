/** A CLI harness for tests: runs `runCli` with captured output and in-memory files. */
import type { CliIo } from '../command.js';
import { runCli } from '../main.js';

/** Runs the CLI with captured output and an in-memory file system. */
export async function cli(argv: string[], files: Record<string, string> = {}, stdin = '') {
  let out = '';
  let err = '';
  const written: Record<string, string | Uint8Array> = {};
  const io: CliIo = {
    stdout: (t) => void (out += t),
    stderr: (t) => void (err += t),
    readFile(path) {
      const f = files[path];
      if (f === undefined) throw new Error(`${path}: no such file`);
      return f;
    },
    writeFile: (path, data) => void (written[path] = data),
    readStdin: () => Promise.resolve(stdin),
  };
  const code = await runCli(argv, io);
  return { code, out, err, written };
}
