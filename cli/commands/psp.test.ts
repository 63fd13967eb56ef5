/**
 * `kvm-lab psp run [--check] FILE...` (reference §17): output shape, exit codes, and the
 * example scripts in examples/psp/ passing with --check.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { UsageError, type CliIo } from '../command.js';
import { runCli } from '../main.js';

const EXAMPLES = join(import.meta.dirname, '../../examples/psp');

/** A CliIo over the real file system plus in-memory files, capturing output. */
function memIo(files: Record<string, string> = {}): CliIo & { out: string; err: string } {
  const io = {
    out: '',
    err: '',
    stdout(t: string) {
      io.out += t;
    },
    stderr(t: string) {
      io.err += t;
    },
    readFile(path: string) {
      if (path in files) return files[path];
      try {
        return readFileSync(path, 'utf8');
      } catch {
        throw new UsageError(`${path}: no such file`);
      }
    },
    writeFile() {},
    readStdin: () => Promise.resolve(''),
  };
  return io;
}

const ok = JSON.stringify({ format: 'kvm-lab/psp-script', version: 1, steps: [{ cmd: 'INIT', expect: { status: 'SUCCESS' } }] });
const bad = JSON.stringify({
  format: 'kvm-lab/psp-script',
  version: 1,
  steps: [{ cmd: 'PLATFORM_STATUS' }, { cmd: 'SHUTDOWN', expect: { status: 'INVALID_PLATFORM_STATE' } }],
});

describe('kvm-lab psp run', () => {
  it('every example in examples/psp passes with --check (npm run cli -- psp run --check examples/psp/*.json)', async () => {
    const files = readdirSync(EXAMPLES)
      .filter((f) => f.endsWith('.json'))
      .map((f) => join(EXAMPLES, f));
    expect(files.length).toBeGreaterThanOrEqual(5);
    const io = memIo();
    expect(await runCli(['psp', 'run', '--check', ...files], io)).toBe(0);
    expect(io.err).toBe('');
    const results = JSON.parse(io.out) as { file: string; steps: unknown[] }[];
    expect(results.map((r) => r.file)).toEqual(files);
  });

  it('one file prints one result object; several print an array in order', async () => {
    const one = memIo({ 'a.json': ok });
    expect(await runCli(['psp', 'run', 'a.json'], one)).toBe(0);
    expect(JSON.parse(one.out)).toEqual({ format: 'kvm-lab/psp-result', version: 1, file: 'a.json', steps: [{ status: 'SUCCESS', out: {} }] });
    const two = memIo({ 'a.json': ok, 'b.json': bad });
    expect(await runCli(['psp', 'run', 'b.json', 'a.json'], two)).toBe(0);
    expect((JSON.parse(two.out) as { file: string }[]).map((r) => r.file)).toEqual(['b.json', 'a.json']);
  });

  it('mismatches: exit 0 without --check; exit 1 with it, naming file and step on stderr', async () => {
    const io = memIo({ 'a.json': ok, 'b.json': bad });
    expect(await runCli(['psp', 'run', 'a.json', 'b.json'], io)).toBe(0);
    expect(io.err).toBe('');
    const checked = memIo({ 'a.json': ok, 'b.json': bad });
    expect(await runCli(['psp', 'run', '--check', 'a.json', 'b.json'], checked)).toBe(1);
    expect(checked.err).toBe('b.json: steps[1]: status SUCCESS, expected INVALID_PLATFORM_STATE\n');
  });

  it('a script that cannot be parsed gives the error result (exit 0; exit 1 with --check)', async () => {
    const io = memIo({ 'x.json': '{"format":"kvm-lab/psp-script"' });
    expect(await runCli(['psp', 'run', 'x.json'], io)).toBe(0);
    expect(JSON.parse(io.out)).toMatchObject({ format: 'kvm-lab/psp-result', version: 1, file: 'x.json', error: expect.stringMatching(/JSON/) as string, steps: [] });
    const checked = memIo({ 'x.json': '{}' });
    expect(await runCli(['psp', 'run', '--check', 'x.json'], checked)).toBe(1);
    expect(checked.err).toMatch(/^x\.json: script: cannot be parsed/);
  });

  it('usage errors and unreadable files: exit 2 with one line naming the problem, nothing on stdout', async () => {
    for (const [args, msg] of [
      [['psp'], /subcommand/],
      [['psp', 'walk', 'a.json'], /unknown psp subcommand/],
      [['psp', 'run'], /at least one FILE/],
      [['psp', 'run', '--fast', 'a.json'], /unknown option --fast/],
      [['psp', 'run', 'a.json', 'missing.json'], /missing\.json/],
    ] as [string[], RegExp][]) {
      const io = memIo({ 'a.json': ok });
      expect(await runCli(args, io)).toBe(2);
      expect(io.out).toBe('');
      expect(io.err.split('\n').filter(Boolean)).toHaveLength(1);
      expect(io.err).toMatch(msg);
    }
  });

  it('--instructor adds each platform key log to the result', async () => {
    const io = memIo();
    expect(await runCli(['psp', 'run', '--instructor', join(EXAMPLES, 'migrate.json')], io)).toBe(0);
    const r = JSON.parse(io.out) as { keyLogs: Record<string, string> };
    expect(Object.keys(r.keyLogs)).toEqual(['src', 'dst']);
    expect(r.keyLogs.src).toMatch(/\nSEV_TEK [0-9a-f]{32} [0-9a-f]{32}\nSEV_TIK /);
    expect(r.keyLogs.dst).not.toMatch(/\nSEV_TEK /);
  });
});
