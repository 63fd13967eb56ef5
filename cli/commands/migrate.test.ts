/** `kvm-lab migrate`: the event log as JSON lines, deterministic by seed, and its usage errors. */
import { describe, expect, it } from 'vitest';
import { cli } from '../test-support/cli-harness.js';


describe('kvm-lab migrate', () => {
  it('prints the event log of a scenario as JSON lines, the same for the same seed', { timeout: 120_000 }, async () => {
    const a = await cli(['migrate', '--scenario', 'never-enabled']);
    expect(a.code).toBe(0);
    const events = a.out.trim().split('\n').map((l) => JSON.parse(l) as { seq: number; kind: string; payload: { text?: string } });
    expect(events[0].seq).toBe(0);
    expect(events.some((e) => e.kind === 'console.line' && e.payload.text === 'Error: SEV: Migration is not implemented')).toBe(true);
    expect((await cli(['migrate', '--scenario', 'never-enabled'])).out).toBe(a.out);
    expect((await cli(['migrate', '--scenario', 'never-enabled', '--seed', '2'])).out).not.toBe(a.out);
    const short = await cli(['migrate', '--scenario', 'default', '--max-steps', '5']);
    expect(short.code).toBe(0);
    expect(short.out.trim().split('\n').length).toBeGreaterThan(5);
  });

  it.each([
    [['migrate', '--scenario', 'hello'], /^kvm-lab: unknown migration scenario "hello" \(known: default, /],
    [['migrate', '--scenario', 'default', '--file', 'x.json'], /^kvm-lab: --scenario and --file exclude each other\n$/],
    [['migrate', '--file', 'bad.json'], /^kvm-lab: bad\.json: params\.link\.bandwidthMbps: expected 0\.001\.\.1000000, found 0\n$/],
    [['migrate', '--file', 'boot.json'], /^kvm-lab: b: not a sev-migration scenario \(machine "sev-boot"\)\n$/],
    [['migrate', '--seed', 'x'], /^kvm-lab: --seed expects a non-negative integer, got "x"\n$/],
  ])('refuses %j with one line and exit code 2', async (argv, message) => {
    const files = {
      'bad.json': JSON.stringify({ format: 'kvm-lab/scenario', version: 1, name: 'b', title: 'b', machine: 'sev-migration', params: { link: { bandwidthMbps: 0 } } }),
      'boot.json': JSON.stringify({ format: 'kvm-lab/scenario', version: 1, name: 'b', title: 'b', machine: 'sev-boot', params: { abi: 'v11' } }),
    };
    const r = await cli(argv, files);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(message);
  });
});
