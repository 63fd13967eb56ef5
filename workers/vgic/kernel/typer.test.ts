/**
 * GICR_TYPER as userspace reads it (reference §7): affinity and Processor_Number, PLPIS,
 * and the Last bit under each profile.
 */
import { describe, expect, it } from 'vitest';
import { Harness, rc } from '../test-support/harness.js';
import { GRP } from '../uapi.js';
import { mpidrForVcpuId } from './typer.js';

const ready = (profile: '5.12' | '5.13' | '5.16', ...ids: number[]) => {
  const h = new Harness(profile);
  h.vcpus(...ids);
  h.v3();
  expect(h.init()).toBe(0);
  return h;
};

describe('GICR_TYPER fields (§7)', () => {
  it('gives MPIDR affinity from the vCPU id: Aff0 = id & 0xf, Aff1 = id >> 4', () => {
    expect(mpidrForVcpuId(20)).toBe(0x104n);
    expect(mpidrForVcpuId(511)).toBe(0x1f0fn);
    expect(mpidrForVcpuId(4095)).toBe(0xff0fn);
  });

  it('reads vCPU 20 with Last and an ITS as low 0x1411, high 0x104 (§7 example)', () => {
    const h = ready('5.13', 20);
    h.its();
    expect(h.region(0, 0x200000n, 1)).toBe(0);
    const t = h.typer(0x104);
    expect(t).toMatchObject({ raw: 0x104_0000_1411n, processorNumber: 20, affinity: 0x104, last: true, plpis: true });
    expect(h.typerLow(20)).toBe('EINVAL'); // 20 << 32 is not vCPU 20's affinity
  });

  it('finds a vCPU by MPIDR; before KVM_ARM_VCPU_INIT it answers to affinity 0', () => {
    const h = new Harness();
    h.vm.createVcpu(5);
    h.v3();
    expect(h.init()).toBe(0);
    expect(h.typer(0)).toMatchObject({ processorNumber: 5, affinity: 0 });
    h.vm.vcpuInit(5);
    expect(h.typer(0)).toBe('EINVAL');
    expect(h.typer(5)).toMatchObject({ processorNumber: 5, affinity: 5 });
  });

  it('ignores TYPER writes (they return 0)', () => {
    const h = ready('5.13', 0);
    expect(h.region(0, 0x200000n, 1)).toBe(0);
    expect(rc(h.gic.setAttr(GRP.REDIST_REGS, 0x8n, 0xffffn))).toBe(0);
    expect(h.typerLow(0)).toBe(0x10);
  });
});

describe('GICR_TYPER.Last (§7, §8.8)', () => {
  it('5.13: the highest used slot of a region with free slots, and of the legacy region', () => {
    const h = ready('5.13', 0, 1, 2);
    expect(h.region(0, 0x200000n, 8)).toBe(0);
    expect([0, 1, 2].map((v) => h.typerLow(v))).toEqual([0x000, 0x100, 0x210]);
    const l = ready('5.13', 0, 1);
    expect(l.legacy(0x200000n)).toBe(0);
    expect([0, 1].map((v) => l.typerLow(v))).toEqual([0x000, 0x110]);
  });

  it('5.13: a full region continues into a region starting at its end only if that one has vCPUs', () => {
    const h = ready('5.13', 0, 1, 2);
    expect(h.region(0, 0x200000n, 2)).toBe(0);
    expect(h.region(1, 0x240000n, 2)).toBe(0);
    expect([0, 1, 2].map((v) => h.typerLow(v))).toEqual([0x000, 0x100, 0x210]);
    const empty = ready('5.13', 0, 1);
    expect(empty.region(0, 0x200000n, 2)).toBe(0);
    expect(empty.region(1, 0x240000n, 2)).toBe(0); // registered, still empty
    expect(empty.typerLow(1)).toBe(0x110);
  });

  it('5.13: compares regions by address, not by index (§11.6)', () => {
    const h = ready('5.13', 0, 1);
    expect(h.region(0, 0x220000n, 1)).toBe(0);
    expect(h.region(1, 0x200000n, 1)).toBe(0);
    expect([0, 1].map((v) => h.typerLow(v))).toEqual([0x10, 0x100]);
  });

  it('reads Last = 0 for an unplaced vCPU in 5.13/5.16', () => {
    for (const p of ['5.13', '5.16'] as const) expect(ready(p, 0, 1).typerLow(1)).toBe(0x100);
  });

  it('5.12: Last for vCPU id = number of vCPUs - 1, placed or not', () => {
    const h = ready('5.12', 0, 1, 2);
    expect([0, 1, 2].map((v) => h.typerLow(v))).toEqual([0x000, 0x100, 0x210]);
    expect(h.region(0, 0x200000n, 2)).toBe(0);
    expect([0, 1, 2].map((v) => h.typerLow(v))).toEqual([0x000, 0x100, 0x210]);
  });

  it('5.16 computes Last as 5.13 does', () => {
    for (const p of ['5.13', '5.16'] as const) {
      const h = ready(p, 0, 3, 5, 4, 1, 2);
      h.region(0, 0x100000n, 2);
      h.region(1, 0x240000n, 2);
      h.region(2, 0x200000n, 2);
      expect([0, 1, 2, 3, 4, 5].map((v) => h.typerLow(v))).toEqual([0x000, 0x100, 0x200, 0x310, 0x410, 0x500]);
    }
  });

  it('sets PLPIS only with an ITS device', () => {
    const h = ready('5.13', 0);
    expect((h.typerLow(0) as number) & 1).toBe(0);
    h.its();
    expect((h.typerLow(0) as number) & 1).toBe(1);
  });
});
