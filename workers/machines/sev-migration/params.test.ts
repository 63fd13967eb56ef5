/**
 * Scenario files: every built-in sev-migration scenario validates; a file that does not
 * is refused with the path of its first problem, by the machine kind, the engine and the
 * CLI. And the default scenario through the engine API the UI uses: steps, monitor
 * inputs on either host, a cut by input, the summary.
 */
import { describe, expect, it } from 'vitest';
import { Engine } from '../../api/index.js';
import { parseScenario } from '../../core/scenario.js';
import { builtinScenarioDocs, DEFAULT_SCENARIO, machineKinds } from '../../scenarios/index.js';
import { parseMigrationParams } from './params.js';

describe('sev-migration scenarios', () => {
  it('the built-in ones validate, and default is the lab default', () => {
    const docs = builtinScenarioDocs.map((d) => parseScenario(d, machineKinds)).filter((d) => d.machine === 'sev-migration');
    expect(docs.map((d) => d.name)).toEqual(['default', 'v11-abi', 'non-efi', 'nosend-policy', 'untrusted-target', 'tampered-packet', 'wrong-shared-list', 'replay', 'never-enabled', 'busy-1g', 'second-hop']);
    expect(DEFAULT_SCENARIO).toBe('default');
    const d = parseMigrationParams(docs[0].params!, 'params');
    expect(d.guest).toMatchObject({ abi: 'upstream', efi: true, memMiB: 256 });
    expect(d.guest.workload!.pagesPerSecond).toBeGreaterThan(0);
    expect(parseMigrationParams(docs.find((x) => x.name === 'busy-1g')!.params!, 'params').guest.memMiB).toBe(1024);
  });

  it.each([
    [{ link: { latencyMs: -1 } }, 'params.link.latencyMs: expected 0..10000, found -1'],
    [{ guest: { abi: 'v12' } }, 'params.guest.abi: expected one of "v11", "upstream"'],
    [{ migrate: { maxBandwidth: 'fast' } }, 'params.migrate.maxBandwidth: expected a size such as "128M" or "1G"'],
    [{ faults: { tamper: { mode: 'bitrot' } } }, 'params.faults.tamper.mode: expected one of "flip-bit", "replay", "relocate", "reorder", "unknown-record"'],
    [{ faults: { sharedList: { drop: [{ gpa: '0x1001' }] } } }, 'params.faults.sharedList.drop[0].gpa: expected a page-aligned address (number or "0x..." string)'],
    [{ target: { platform: 'fake' } }, 'params.target.platform: expected one of "genuine", "rogue"'],
    [{ hop3: {} }, 'params.hop3: unknown field'],
  ])('%j is refused with its path', (params, message) => {
    expect(() => parseMigrationParams(params, 'params')).toThrow(message);
    const e = new Engine();
    expect(e.load({ format: 'kvm-lab/scenario', version: 1, name: 'x', title: 'x', machine: 'sev-migration', params })).toEqual({ ok: false, error: message });
  });
});

describe('the default scenario through the engine API', () => {
  it('opens by default, steps, takes monitor inputs on both hosts and a cut, and summarises', { timeout: 120_000 }, () => {
    const e = new Engine();
    expect(e.state().scenario).toBe('default');
    let s = e.state();
    while ((s.summary as { hosts: { dst: { incoming: string } } }).hosts.dst.incoming !== 'active') s = e.step(50);
    expect(e.input({ monitor: 'info status', host: 'dst' })).toEqual({ ok: true, text: 'VM status: paused (inmigrate)' });
    expect(e.input({ monitor: 'info sev', host: 'nope' })).toMatchObject({ ok: false, text: 'no host "nope" (hosts: src, dst)' });
    expect(e.input({ wire: 'set', bandwidthMbps: 100, latencyMs: 5 })).toEqual({ ok: true, text: 'link src-dst: 100 Mbit/s, 5 ms' });
    expect(e.input({ wire: 'set', bandwidthMbps: 0 })).toMatchObject({ ok: false });
    expect(e.input({ wire: 'cut', link: 'src-dst' })).toMatchObject({ ok: true });
    expect(e.input({ wire: 'cut', link: 'dst-hop2' })).toEqual({ ok: false, text: 'no link "dst-hop2"' });
    expect(e.input({ guest: 'kexec' }).ok).toBe(false);
    for (let i = 0; i < 200; i++) e.step(10);
    const sum = e.state().summary as { hosts: Record<string, { outgoing: string; incoming: string; error: string | null }> };
    expect(sum.hosts.src.outgoing).toBe('failed');
    expect(sum.hosts.dst.incoming).toBe('failed');
    expect(sum.hosts.src.error).toBe('Unable to write to socket: Connection timed out');
    // Step back replays to the same events.
    const before = e.events();
    e.back(5);
    e.step(5);
    expect(e.events()).toEqual(before);
  });
});
