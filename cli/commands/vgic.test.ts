/**
 * `kvm-lab vgic run`: output shape (one object / an array), exit codes (§11), and the
 * one-line errors naming file and step.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { cli as runCli } from '../test-support/cli-harness.js';

const cli = (argv: string[], files: Record<string, string> = {}) => runCli(['vgic', ...argv], files);

const step = (s: Record<string, unknown>) => s;
const script = (steps: Record<string, unknown>[], extra: Record<string, unknown> = {}) =>
  JSON.stringify({ format: 'kvm-lab/vgic-script', version: 1, ...extra, steps });
const base = [
  step({ op: 'create_vm', vm: 'vm', expect: { ret: 0 } }),
  step({ op: 'create_vcpu', vm: 'vm', vcpu_id: 0, expect: { ret: 0 } }),
  step({ op: 'create_device', vm: 'vm', type: 'KVM_DEV_TYPE_ARM_VGIC_V3', dev: 'gic', expect: { ret: 0 } }),
  step({ op: 'set_attr', dev: 'gic', group: 'KVM_DEV_ARM_VGIC_GRP_ADDR', attr: 'KVM_VGIC_V3_ADDR_TYPE_REDIST', value: '0x0', expect: { ret: 0 } }),
  step({ op: 'set_attr', dev: 'gic', group: 'KVM_DEV_ARM_VGIC_GRP_ADDR', attr: 'KVM_VGIC_V3_ADDR_TYPE_REDIST', value: '0xe0000', expect: { errno: 'EEXIST' } }),
];
const files = {
  'good.json': script(base),
  'old.json': script(base, { kernel: '5.12' }),
  'bad.json': '{"format": ',
  'v2.json': script(base, { version: 2 }),
  'kernel.json': script(base, { kernel: '6.1' }),
  'group.json': script([...base.slice(0, 3), step({ op: 'get_attr', dev: 'gic', group: 'KVM_DEV_ARM_VGIC_GRP_NOPE', attr: 0 }), base[0]]),
  'wide.json': script([...base.slice(0, 3), step({ op: 'set_attr', dev: 'gic', group: 0, attr: 2, value: '0x10000000000000000' })]),
  'vcpu.json': script([base[0], step({ op: 'run', vm: 'vm', vcpu_id: 7, expect: { ret: 0 } })]),
};

describe('kvm-lab vgic run', () => {
  it('prints one result object for one file and exits 0', async () => {
    const r = await cli(['run', 'good.json'], files);
    expect(r).toMatchObject({ code: 0, err: '' });
    const doc = JSON.parse(r.out) as { format: string; file: string; kernel: string; steps: unknown[] };
    expect(doc).toMatchObject({ format: 'kvm-lab/vgic-result', version: 1, file: 'good.json', kernel: '5.13' });
    expect(doc.steps).toEqual([{ ret: 0 }, { ret: 0 }, { ret: 0 }, { ret: 0 }, { errno: 'EEXIST', why: 'the legacy redistributor region is already set' }]);
  });

  it('prints an array for several files, each from nothing', async () => {
    const r = await cli(['run', 'good.json', 'good.json', 'old.json'], files);
    expect(r.code).toBe(0);
    const docs = JSON.parse(r.out) as { kernel: string; steps: { errno?: string }[] }[];
    expect(docs.map((d) => [d.kernel, d.steps[4]?.errno])).toEqual([
      ['5.13', 'EEXIST'],
      ['5.13', 'EEXIST'],
      ['5.12', 'EINVAL'],
    ]);
  });

  it('exits 0 on failed expectations without --check, 1 with it, naming file and step', async () => {
    expect((await cli(['run', 'old.json'], files)).code).toBe(0);
    const r = await cli(['run', '--check', 'good.json', 'old.json'], files);
    expect(r.code).toBe(1);
    expect(r.err).toBe('kvm-lab: old.json: steps[4] (set_attr): expected {"errno":"EEXIST"}, got {"errno":"EINVAL"}\n');
    expect((await cli(['run', '--check', 'good.json'], files)).code).toBe(0);
  });

  it.each([
    [['run'], 'kvm-lab: vgic run needs at least one FILE\n'],
    [[], 'kvm-lab: vgic needs a subcommand: run\n'],
    [['check', 'good.json'], 'kvm-lab: unknown vgic subcommand "check" (try: run)\n'],
    [['run', 'missing.json'], 'kvm-lab: missing.json: no such file\n'],
    [['run', 'good.json', 'bad.json'], /^kvm-lab: bad\.json: not valid JSON \([^\n]+\)\n$/],
    [['run', '--fast', 'good.json'], 'kvm-lab: unknown option --fast\n'],
  ])('refuses %j with one line, no output and exit 2', async (argv, message) => {
    const r = await cli(argv, files);
    expect(r).toMatchObject({ code: 2, out: '' });
    if (typeof message === 'string') expect(r.err).toBe(message);
    else expect(r.err).toMatch(message);
  });

  it.each([
    ['v2.json', 'version: version 2 is newer than this lab understands (1)'],
    ['kernel.json', 'kernel: expected "5.12", "5.13" or "5.16", found "6.1"'],
  ])('reports %s as not vgic-script v1: error result, one stderr line, exit 1 under --check', async (file, message) => {
    const r = await cli(['run', file], files);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.out)).toMatchObject({ error: message, steps: [] });
    expect(r.err).toBe(`kvm-lab: ${file}: ${message}\n`);
    expect((await cli(['run', '--check', file], files)).code).toBe(1);
  });

  it.each([
    ['group.json', 3, 'steps[3].group: unknown name "KVM_DEV_ARM_VGIC_GRP_NOPE" (expected a group name)'],
    ['wide.json', 3, 'steps[3].value: 0x10000000000000000 does not fit in 64 bits'],
    ['vcpu.json', 1, 'steps[1].vcpu_id: vCPU 7 was never created in this vm'],
  ])('stops %s at the step it cannot perform and names it', async (file, at, message) => {
    const r = await cli(['run', file], files);
    expect(r.code).toBe(0);
    const doc = JSON.parse(r.out) as { steps: unknown[] };
    expect(doc.steps).toHaveLength(at + 1);
    expect(doc.steps[at]).toEqual({ error: message });
    expect(r.err).toBe(`kvm-lab: ${file}: ${message}\n`);
  });

  it('runs the shipped selftest scripts with --check', async () => {
    const names = ['05-test_typer_accesses', '06-test_last_bit_redist_regions'];
    const shipped = Object.fromEntries(names.map((n) => [n, readFileSync(`workers/vgic/scripts/5.13/${n}.json`, 'utf8')]));
    const r = await cli(['run', '--check', ...names], shipped);
    expect(r).toMatchObject({ code: 0, err: '' });
    expect(JSON.parse(r.out)).toHaveLength(2);
  });
});
