/**
 * Handing out redistributor frames (reference §5): region index order, then vCPU
 * creation order; the frame count against the vCPUs; placement at vCPU creation and at
 * region registration; the layout check that can refuse either.
 */
import { describe, expect, it } from 'vitest';
import { Harness } from '../test-support/harness.js';

describe('vCPU placement (§5)', () => {
  it('reproduces the §5 worked example: creation order 0,3,5,4,1,2 over regions #0, #1, #2', () => {
    const h = new Harness();
    h.vcpus(0, 3, 5, 4, 1, 2);
    h.v3();
    expect(h.region(0, 0x100000n, 2)).toBe(0);
    expect(h.region(1, 0x240000n, 2)).toBe(0);
    expect(h.region(2, 0x200000n, 2)).toBe(0);
    expect(h.frames()).toEqual({ 0: '0x100000', 3: '0x120000', 5: '0x240000', 4: '0x260000', 1: '0x200000', 2: '0x220000' });
  });

  it('hands frames out by region index, not by address, and by creation order, not by id', () => {
    const h = new Harness();
    h.vcpus(2, 0, 1);
    h.v3();
    expect(h.region(0, 0x800000n, 1)).toBe(0);
    expect(h.region(1, 0x100000n, 2)).toBe(0);
    expect(h.frames()).toEqual({ 2: '0x800000', 0: '0x100000', 1: '0x120000' });
  });

  it('places a vCPU created after the region at once, and leaves it unplaced when no frame is free', () => {
    const h = new Harness();
    h.v3();
    expect(h.region(0, 0x200000n, 2)).toBe(0);
    expect(h.vcpus(0, 1, 2)).toBe(0);
    expect(h.frames()).toEqual({ 0: '0x200000', 1: '0x220000', 2: undefined });
    expect(h.region(1, 0x400000n, 1)).toBe(0);
    expect(h.frames()[2]).toBe('0x400000');
  });

  it('grows the legacy region with the vCPUs: it is never full', () => {
    const h = new Harness();
    h.vcpus(0, 1);
    h.v3();
    expect(h.legacy(0x10000n)).toBe(0);
    expect(h.vcpus(2, 3)).toBe(0);
    expect(h.frames()).toEqual({ 0: '0x10000', 1: '0x30000', 2: '0x50000', 3: '0x70000' });
  });

  it('refuses a vCPU whose placement breaks the layout (EINVAL) and creates nothing', () => {
    const h = new Harness();
    h.v3();
    expect(h.dist(0x0n)).toBe(0);
    expect(h.region(0, 0x0n, 2)).toBe(0); // no vCPU to place yet: nothing checks the DIST
    expect(h.vcpus(0)).toBe('EINVAL');
    expect(h.vm.state.vcpus).toEqual([]);
  });

  it('counts the legacy region with the vCPUs online, not the one being created', () => {
    const h = new Harness();
    h.vcpus(0);
    h.v3();
    expect(h.legacy(0x0n)).toBe(0);
    expect(h.dist(0x40000n)).toBe(0);
    expect(h.vcpus(1)).toBe(0); // legacy measured as [0, 0x20000)
    expect(h.vcpus(2)).toBe(0); // [0, 0x40000): touches the DIST
    expect(h.vcpus(3)).toBe('EINVAL'); // [0, 0x60000) overlaps it
  });

  it('5.16 refuses a vCPU whose legacy frame would end beyond the IPA size', () => {
    for (const [profile, want] of [['5.13', 0], ['5.16', 'EINVAL']] as const) {
      const h = new Harness(profile);
      h.vcpus(0);
      h.v3();
      expect(h.legacy((1n << 40n) - 0x40000n)).toBe(0);
      expect(h.vcpus(1, 2)).toBe(0);
      expect(h.vcpus(3)).toBe(want);
    }
  });

  it('takes a frame slot for a duplicate vCPU id before answering EEXIST (§12, as the kernel does)', () => {
    const h = new Harness();
    h.v3();
    expect(h.region(0, 0x200000n, 4)).toBe(0);
    expect(h.vcpus(0)).toBe(0);
    expect(h.vcpus(0)).toBe('EEXIST');
    expect(h.vcpus(1)).toBe(0);
    expect(h.frames()).toEqual({ 0: '0x200000', 1: '0x240000' });
  });

  it('needs a frame for every vCPU at the first run: 3 frames for 4 vCPUs is ENXIO', () => {
    const h = new Harness();
    h.vcpus(0, 1, 2, 3);
    h.v3();
    expect(h.region(0, 0x200000n, 2)).toBe(0);
    expect(h.region(1, 0x240000n, 1)).toBe(0);
    expect(h.dist(0x0n)).toBe(0);
    expect(h.init()).toBe(0);
    expect(h.run(0)).toBe('ENXIO');
  });
});
