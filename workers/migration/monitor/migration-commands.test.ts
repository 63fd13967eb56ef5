/**
 * The migration monitor commands in QEMU 6.x's formats (reference §4.9, §5.5, §5.6):
 * `info migrate` line by line while active, `info migrate_parameters`,
 * `migrate_set_capability`, QEMU's errors for bad commands, the incoming host's commands
 * and `query-sev-capabilities`.
 */
import { describe, expect, it } from 'vitest';
import { fromBase64 } from '../sev/base64.js';
import { makeLab, runUntil } from '../../machines/sev-migration/test-support/lab.js';

describe('migration monitor commands', () => {
  it('info migrate while active, in QEMU 6.x layout', { timeout: 120_000 }, () => {
    const t = makeLab();
    const src = t.lab.host('src')!;
    expect(src.hmp.execute('info migrate')).toEqual(['globals:', 'store-global-state: on', 'only-migratable: off', 'send-configuration: on', 'send-section-footer: on', 'decompress-error-check: on', 'clear-bitmap-shift: 18']);
    runUntil(t.lab, () => (src.source.counters?.encrypted ?? 0) > 1000);
    const info = src.hmp.execute('info migrate');
    const keys = info.slice(7).map((l) => l.split(':')[0]);
    expect(keys).toEqual([
      'Migration status',
      'total time',
      'expected downtime',
      'setup',
      'transferred ram',
      'throughput',
      'remaining ram',
      'total ram',
      'duplicate',
      'skipped',
      'normal',
      'normal bytes',
      'dirty sync count',
      'page size',
      'multifd bytes',
      'pages-per-second',
    ]);
    expect(info[7]).toBe('Migration status: active');
    expect(info[8]).toMatch(/^total time: \d+ milliseconds$/);
    expect(info[9]).toMatch(/^expected downtime: \d+ milliseconds$/);
    expect(info[12]).toMatch(/^throughput: \d+\.\d\d mbps$/);
    expect(info[14]).toBe('total ram: 266240 kbytes');
    expect(info[19]).toMatch(/^dirty sync count: [1-9]\d*$/);
    expect(info[22]).toMatch(/^pages-per-second: (3[5-9]\d|4[0-4]\d)$/); // the PSP's ~400 pages/s
    // Errors while it runs.
    expect(src.monitor('migrate -d tcp:dst:4444').text).toBe("Error: There's a migration process in progress");
    expect(src.monitor('migrate_set_capability auto-converge off').text).toBe("Error: There's a migration process in progress");
    // Parameters may change while it runs.
    expect(src.monitor('migrate_set_parameter downtime-limit 2000')).toEqual({ ok: true, text: '' });
    expect(src.hmp.execute('info migrate_parameters')).toContain('downtime-limit: 2000 milliseconds');
    expect(src.hmp.execute('info migrate_capabilities')).toContain('auto-converge: on');
    // The incoming side shows its status and where it listens.
    const dst = t.lab.host('dst')!;
    expect(dst.hmp.execute('info migrate').slice(7)).toEqual(['Migration status: active', 'total time: 0 milliseconds', 'socket address: [', '\ttcp:0.0.0.0:4444', ']']);
  });

  it('answers bad commands with QEMU texts and changes nothing', { timeout: 120_000 }, () => {
    const t = makeLab({ migrate: { startAfterMs: 1e6 } });
    const src = t.lab.host('src')!;
    runUntil(t.lab, () => src.rt.guest.running);
    const say = (line: string): string | undefined => src.monitor(line).text;
    expect(say('migrate')).toBe('migrate: string expected\nTry "help migrate" for more information');
    expect(say('migrate -d exec:cat')).toBe("Error: Parameter 'uri' expects a valid migration protocol");
    expect(say('migrate -d tcp:nowhere:4444')).toBe('Error: address resolution failed for nowhere:4444: Name or service not known');
    expect(say('migrate -d tcp:src:4444')).toBe("Error: Failed to connect to 'src:4444': No route to host");
    expect(say('migrate_set_parameter downtime-limit')).toBe('migrate_set_parameter: string expected\nTry "help migrate_set_parameter" for more information');
    expect(say('migrate_set_parameter max-bandwidth lots')).toBe('Error: Invalid size lots');
    expect(say('migrate_set_capability turbo on')).toBe('Error: invalid parameter value: turbo');
    expect(say('migrate_set_capability auto-converge maybe')).toBe('Expected \'on\' or \'off\'\nTry "help migrate_set_capability" for more information');
    expect(say('migrate_incoming tcp:0:4444')).toBe("Error: '-incoming' was not specified on the command line");
    expect(say('migrate_cancel')).toBe('');
    expect(src.source.status).toBe('none');
    expect(say('help migrate')).toBe('migrate [-d] uri -- migrate to URI (using -d to not wait for completion)');
    const dst = t.lab.host('dst')!;
    expect(dst.monitor('migrate_incoming udp:0:1').text).toBe("Error: Parameter 'uri' expects a valid migration protocol");
    expect(dst.monitor('migrate_incoming tcp:0:4444').text).toBe('');
    expect(dst.monitor('migrate_incoming tcp:0:4444').text).toBe('Error: The incoming migration has already been started');
    // The console shows the prompt line before the answer.
    const lines = t.of('console.line', 'dst').map((e) => e.payload.text);
    expect(lines.slice(-2)).toEqual(['(qemu) migrate_incoming tcp:0:4444', 'Error: The incoming migration has already been started']);
  });

  it('query-sev-capabilities gives the platform PDH and chain in base64, with cbitpos and cpu0-id', { timeout: 60_000 }, () => {
    const t = makeLab();
    const dst = t.lab.host('dst')!;
    runUntil(t.lab, () => dst.rt.host.vmm.runstate === 'inmigrate');
    const j = JSON.parse(dst.monitor('query-sev-capabilities').text!) as { return: Record<string, string | number> };
    expect(Object.keys(j.return)).toEqual(['pdh', 'cert-chain', 'cpu0-id', 'cbitpos', 'reduced-phys-bits']);
    expect(fromBase64(j.return.pdh as string)!.length).toBe(2084);
    expect(fromBase64(j.return['cert-chain'] as string)!.length).toBe(6252);
    expect(fromBase64(j.return['cpu0-id'] as string)!.length).toBe(64);
    expect(j.return.cbitpos).toBe(47);
  });
});
