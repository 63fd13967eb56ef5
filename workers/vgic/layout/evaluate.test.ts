/**
 * The editor-facing layout API: presets, the ioctl sequence and its lines, failures and
 * their sentences, frames with GICR_TYPER, profiles, and malformed layouts.
 */
import { describe, expect, it } from 'vitest';
import { checkVgicResult } from '../script/check.js';
import { runVgicScript } from '../script/runner.js';
import { evaluateLayout } from './evaluate.js';
import { VGIC_GEOMETRY, kernelFixes } from './geometry.js';
import { presets, qemuVirtLayout } from './presets.js';
import type { VgicLayout } from './types.js';

const byName = (name: string) => presets().find((p) => p.name === name)!.layout;

describe('presets', () => {
  it.each(presets().map((p) => [p.name, p] as const))('%s evaluates, and its script replays with --check', (_name, preset) => {
    const e = evaluateLayout(preset.layout);
    expect(e.error).toBeUndefined();
    expect(JSON.parse(JSON.stringify(e))).toEqual(e); // plain JSON for comlink
    expect(checkVgicResult(e.script, runVgicScript(e.script))).toEqual([]);
    expect(e.lines).toEqual(e.steps.map((s) => s.line));
  });

  it('fail where the selftests fail, and run where they run', () => {
    const outcome = (name: string) => evaluateLayout(byName(name)).failures.map((f) => `${f.phase}:${f.errno}`);
    expect(outcome('selftest-dist-rdist-overlap')).toEqual(['run:EINVAL']);
    expect(outcome('selftest-not-enough-rdists')).toEqual(['run:ENXIO']);
    for (const ok of ['selftest-new-redist-regions', 'selftest-typer-accesses', 'last-bit-redist-regions', 'last-bit-single-rdist', 'last-bit-contiguous-pair', 'last-bit-empty-neighbour', 'qemu-virt-8', 'qemu-virt-512']) {
      expect([ok, outcome(ok)]).toEqual([ok, []]);
    }
  });

  it('give the Last bits of the series', () => {
    const last = (name: string) => Object.fromEntries(evaluateLayout(byName(name)).frames.map((f) => [f.vcpuId, f.typer!.last]));
    expect(last('last-bit-redist-regions')).toEqual({ 0: false, 3: true, 1: false, 2: false, 5: false, 4: true });
    expect(last('last-bit-single-rdist')).toEqual({ 0: false, 3: false, 5: false, 4: false, 1: false, 2: true });
    expect(last('last-bit-contiguous-pair')).toEqual({ 1: false, 0: true });
    expect(last('last-bit-empty-neighbour')).toEqual({ 0: false, 1: true });
  });

  it('lay QEMU virt out at its real addresses: 123 low frames, the rest at 256 GiB', () => {
    const e = evaluateLayout(qemuVirtLayout(512));
    expect(e.dist).toEqual({ base: '0x8000000', end: '0x8010000' });
    expect(e.its).toEqual({ base: '0x8080000', end: '0x80a0000' });
    expect(e.regions).toEqual([
      { index: 0, legacy: false, base: '0x80a0000', end: '0x9000000', frames: 123, used: 123 },
      { index: 1, legacy: false, base: '0x4000000000', end: '0x40030a0000', frames: 389, used: 389 },
    ]);
    const f511 = e.frames.find((f) => f.vcpuId === 511)!;
    expect(f511).toMatchObject({ base: '0x4003080000', regionIndex: 1, slot: 388 });
    expect(f511.typer).toEqual({ raw: '0x1f0f0001ff11', processorNumber: 511, affinity: '0x1f0f', aff: { aff3: 0, aff2: 0, aff1: 0x1f, aff0: 0xf }, last: true, plpis: true });
    expect(e.frames.filter((f) => f.typer!.last).map((f) => f.vcpuId)).toEqual([122, 511]);
    expect(evaluateLayout(qemuVirtLayout(8)).regions).toEqual([{ index: 0, legacy: false, base: '0x80a0000', end: '0x81a0000', frames: 8, used: 8 }]);
  });
});

describe('the ioctl sequence and its failures', () => {
  const clash: VgicLayout = { profile: '5.13', vcpus: 2, dist: { base: '0x08000000' }, regions: [{ index: 0, base: '0x07fe0000', count: 1 }, { index: 1, base: '0x08000000', count: 1 }] };

  it('writes readable ioctl lines', () => {
    const e = evaluateLayout(clash);
    expect(e.lines.slice(0, 3)).toEqual(['KVM_CREATE_VM(type=0 /* default 40-bit IPA */)', 'KVM_CREATE_VCPU(0)', 'KVM_ARM_VCPU_INIT(target=preferred, features=0)']);
    expect(e.lines).toContain('KVM_SET_DEVICE_ATTR(group=KVM_DEV_ARM_VGIC_GRP_ADDR, attr=KVM_VGIC_V3_ADDR_TYPE_DIST, addr=0x08000000)');
    expect(e.lines).toContain('KVM_SET_DEVICE_ATTR(group=KVM_DEV_ARM_VGIC_GRP_ADDR, attr=KVM_VGIC_V3_ADDR_TYPE_REDIST_REGION, addr=0x0010000008000001) /* count=1 base=0x08000000 index=1 */');
    expect(e.lines).toContain('KVM_SET_DEVICE_ATTR(group=KVM_DEV_ARM_VGIC_GRP_CTRL, attr=KVM_DEV_ARM_VGIC_CTRL_INIT, addr=NULL)');
  });

  it('names the ioctl, errno and rule of each failure in a sentence', () => {
    const e = evaluateLayout(clash);
    expect(e.ok).toBe(false);
    expect(e.failures[0]).toMatchObject({ ioctl: 'KVM_SET_DEVICE_ATTR', phase: 'set_attr', target: 'region:1', errno: 'EINVAL', errnoValue: 22, rule: 'check-base' });
    expect(e.failures[0]?.explanation).toBe(
      'vCPU 1 cannot be given a redistributor frame: redistributor region 1 0x08000000–0x0801ffff overlaps the distributor at 0x08000000–0x0800ffff (the region is removed again)',
    );
    expect(e.failures[1]).toMatchObject({ ioctl: 'KVM_RUN', phase: 'run', errno: 'ENXIO', explanation: 'vCPU 1 has no redistributor frame: the redistributor regions have no free frame left' });
    expect(e.unplaced).toEqual([1]);
  });

  it('finds a DIST clash at set time with dist-first, at the first KVM_RUN with dist-last', () => {
    const first = evaluateLayout({ ...clash, regions: [{ index: 0, base: '0x08000000', count: 2 }] });
    const last = evaluateLayout({ ...clash, regions: [{ index: 0, base: '0x08000000', count: 2 }], order: 'dist-last' });
    expect(first.failures.map((f) => f.phase)).toEqual(['set_attr', 'run']);
    expect(last.failures.map((f) => `${f.phase}:${f.errno}:${f.rule}`)).toEqual(['run:EINVAL:check-base']);
    expect(last.frames).toHaveLength(2); // the layout as it stood before the run tore it down
  });

  it('answers per profile: 5.12 keeps a refused region, 5.16 refuses frames beyond the IPA', () => {
    const e12 = evaluateLayout({ ...clash, profile: '5.12' });
    expect(e12.regions.map((r) => r.index)).toEqual([0, 1]);
    expect(e12.failures.at(-1)).toMatchObject({ phase: 'run', errno: 'ENXIO', explanation: expect.stringContaining('its placement was refused') as string });
    const top: VgicLayout = { profile: '5.16', vcpus: 1, dist: { base: '0x0' }, regions: [{ index: 0, base: '0xffffff0000', count: 1 }] };
    expect(evaluateLayout(top).failures[0]).toMatchObject({ errno: 'E2BIG', rule: 'ipa-top' });
    expect(evaluateLayout({ ...top, profile: '5.13' }).ok).toBe(true);
    expect(evaluateLayout({ ...top, ipaBits: 41 }).ok).toBe(true);
  });

  it('reads GICR_TYPER after a successful run into the script, with expectations', () => {
    const e = evaluateLayout(byName('last-bit-contiguous-pair'));
    expect(e.script.steps.slice(-2)).toEqual([
      { op: 'get_attr', dev: 'gic', group: 'KVM_DEV_ARM_VGIC_GRP_REDIST_REGS', attr: { mpidr: '0x0', offset: '0x8' }, expect: { ret: 0, value: '0x10' } },
      { op: 'get_attr', dev: 'gic', group: 'KVM_DEV_ARM_VGIC_GRP_REDIST_REGS', attr: { mpidr: '0x1', offset: '0x8' }, expect: { ret: 0, value: '0x100' } },
    ]);
  });

  it('lets the kernel answer what only the kernel refuses (vCPU id 600, count 0, bad IPA)', () => {
    expect(evaluateLayout({ profile: '5.13', vcpus: 1, vcpuIds: [600] }).failures[0]).toMatchObject({ phase: 'create_vcpu', errno: 'EINVAL' });
    expect(evaluateLayout({ profile: '5.13', vcpus: 1, regions: [{ index: 0, base: 0, count: 0 }] }).failures[0]).toMatchObject({ rule: 'region-count-zero' });
    const bad = evaluateLayout({ profile: '5.13', vcpus: 1, ipaBits: 50 });
    expect([bad.steps.length, bad.failures[0]?.rule]).toEqual([1, 'ipa-size']);
  });
});

describe('malformed layouts', () => {
  it.each([
    [null, 'expected a layout object'],
    [{ profile: '6.0', vcpus: 1 }, 'profile: expected "5.12", "5.13" or "5.16", found "6.0"'],
    [{ profile: '5.13', vcpus: 1.5 }, 'vcpus: expected an integer 0..1024, found 1.5'],
    [{ profile: '5.13', vcpus: 2, vcpuIds: [0] }, 'vcpuIds: expected an array of 2 vCPU ids (creation order)'],
    [{ profile: '5.13', vcpus: 1, dist: { base: 'here' } }, 'dist.base: expected an address ("0x…" hex, at most 64 bits), found "here"'],
    [{ profile: '5.13', vcpus: 1, regions: [{ index: 0, base: '0x10000000000000', count: 1 }] }, 'regions[0].base: a REDIST_REGION base must be below 2^52 (bits 63:52 hold the count)'],
    [{ profile: '5.13', vcpus: 1, regions: [{ index: 0, base: 0, count: 4096 }] }, 'regions[0].count: expected an integer 0..4095, found 4096'],
    [{ profile: '5.13', vcpus: 1, order: 'sideways' }, 'order: expected "dist-first" or "dist-last"'],
  ])('refuses %j with the path of the problem', (layout, error) => {
    const e = evaluateLayout(layout);
    expect([e.error, e.ok, e.steps]).toEqual([error, false, []]);
  });
});

describe('constants for drawing', () => {
  it('match the uapi sizes and the lab host', () => {
    expect(VGIC_GEOMETRY).toMatchObject({ distSize: 0x10000, redistFrameSize: 0x20000, itsSize: 0x20000, defaultIpaBits: 40, hostIpaLimitBits: 48, maxVcpus: 512 });
    const fixes = kernelFixes();
    expect(fixes.find((f) => f.id === 'exposeTyperLast')).toMatchObject({ commit: '28e9d4bce3be', profiles: ['5.13', '5.16'] });
    expect(fixes.find((f) => f.id === 'ipaRangeChecks')!.profiles).toEqual(['5.16']);
  });
});
