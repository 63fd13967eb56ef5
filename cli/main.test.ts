import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { cli } from './test-support/cli-harness.js';

describe('the CLI', () => {
  it('prints help listing the commands, and its version equal to package.json', async () => {
    const help = await cli(['--help']);
    expect(help.code).toBe(0);
    expect(help.out).toContain('usage: kvm-lab <command>');
    expect(help.out).toMatch(/^\s+events\s+print the event log/m);
    const pkg = JSON.parse(readFileSync('package.json', 'utf8')) as { version: string };
    expect((await cli(['--version'])).out).toBe(`${pkg.version}\n`);
  });

  it('prints the hello scenario as JSON lines, deterministic by seed', async () => {
    const a = await cli(['events']);
    expect(a.code).toBe(0);
    const lines = a.out.trim().split('\n').map((l) => JSON.parse(l) as { seq: number; kind: string });
    expect(lines[0]).toMatchObject({ seq: 0, kind: 'hello.power-on' });
    expect(lines.at(-1)).toMatchObject({ kind: 'hello.halt' });
    expect((await cli(['events'])).out).toBe(a.out);
    expect((await cli(['events', '--seed', '2'])).out).not.toBe(a.out);
    expect((await cli(['events', '--steps', '2'])).out.trim().split('\n')).toHaveLength(3);
  });

  it.each([
    [['bogus'], 'kvm-lab: unknown command "bogus" (try --help)\n'],
    [['--bogus'], 'kvm-lab: unknown option --bogus (try --help)\n'],
    [['events', '--nope'], 'kvm-lab: unknown option --nope\n'],
    [['events', '--seed'], 'kvm-lab: option --seed needs a value\n'],
    [['events', '--seed', 'x'], 'kvm-lab: --seed expects a non-negative integer, got "x"\n'],
    [['events', '--scenario', 'nope'], /^kvm-lab: unknown scenario "nope" \(known: hello[^\n]*\)\n$/],
    [['help', 'nope'], 'kvm-lab: unknown command "nope" (try --help)\n'],
  ])('refuses %j with one line and exit code 2', async (argv, message) => {
    const r = await cli(argv);
    expect(r).toMatchObject({ code: 2, out: '' });
    if (typeof message === 'string') expect(r.err).toBe(message);
    else expect(r.err).toMatch(message);
  });

  it('replays a saved session, and refuses other formats and newer versions naming the file', async () => {
    const session = {
      format: 'kvm-lab/session',
      version: 1,
      scenario: { format: 'kvm-lab/scenario', version: 1, name: 'hello', title: 'Hello', machine: 'hello', seed: 1 },
      seed: 5,
      cursor: 3,
      actions: [{ ticks: 2 }, { input: { monitor: 'info status' } }, { ticks: 2 }],
    };
    const files = {
      's.json': JSON.stringify(session),
      'snap.json': JSON.stringify({ ...session, format: 'kvm-lab/snapshot' }),
      'new.json': JSON.stringify({ ...session, version: 3 }),
      'bad.json': '{"format": ',
    };
    const ok = await cli(['events', '--session', 's.json'], files);
    expect(ok.code).toBe(0);
    const kinds = ok.out.trim().split('\n').map((l) => (JSON.parse(l) as { kind: string }).kind);
    expect(kinds.slice(-2)).toEqual(['session.input', 'console.line']);
    expect(await cli(['events', '--session', 'snap.json'], files)).toMatchObject({
      code: 2,
      out: '',
      err: 'kvm-lab: snap.json: format: expected "kvm-lab/session", found "kvm-lab/snapshot"\n',
    });
    expect((await cli(['events', '--session', 'new.json'], files)).err).toBe(
      'kvm-lab: new.json: version: version 3 is newer than this lab understands (1)\n',
    );
    expect((await cli(['events', '--session', 'bad.json'], files)).err).toMatch(/^kvm-lab: bad.json: not valid JSON/);
    expect(await cli(['events', '--session', 'missing.json'], files)).toMatchObject({
      code: 2,
      err: 'kvm-lab: missing.json: no such file\n',
    });
  });

  it('shows a command usage with --help', async () => {
    const r = await cli(['events', '--help']);
    expect(r.code).toBe(0);
    expect(r.out).toContain('usage: kvm-lab events');
  });
});
