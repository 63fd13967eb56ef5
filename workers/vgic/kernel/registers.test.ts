/**
 * GRP_DIST_REGS / GRP_REDIST_REGS / has_attr (reference §4): the order of checks, the
 * register map, and what unmodelled offsets do.
 */
import { describe, expect, it } from 'vitest';
import { Harness, rc } from '../test-support/harness.js';
import { GRP } from '../uapi.js';

const gic = (...ids: number[]) => {
  const h = new Harness();
  h.vcpus(...ids);
  return h.v3();
};
const has = (h: Harness, group: number, attr: bigint) => rc(h.gic.hasAttr(group, attr));

describe('register access order (§4)', () => {
  it('set: EFAULT, then the vCPU lookup (EINVAL), then CTRL_INIT (EBUSY)', () => {
    const h = gic(0);
    expect(rc(h.gic.setAttr(GRP.REDIST_REGS, (9n << 32n) | 0x8n, null))).toBe('EFAULT');
    expect(rc(h.gic.setAttr(GRP.REDIST_REGS, (9n << 32n) | 0x8n, 0n))).toBe('EINVAL');
    expect(rc(h.gic.setAttr(GRP.REDIST_REGS, 0x8n, 0n))).toBe('EBUSY');
    h.init();
    expect(rc(h.gic.setAttr(GRP.REDIST_REGS, 0x8n, 0n))).toBe(0);
  });

  it('get: lookup, CTRL_INIT, then EFAULT when copying out', () => {
    const h = gic(0);
    expect(rc(h.gic.getAttr(GRP.REDIST_REGS, 9n << 32n, null))).toBe('EINVAL');
    expect(rc(h.gic.getAttr(GRP.REDIST_REGS, 0x8n, null))).toBe('EBUSY');
    h.init();
    expect(rc(h.gic.getAttr(GRP.REDIST_REGS, 0x8n, null))).toBe('EFAULT');
  });

  it('DIST_REGS goes through the first vCPU created and ignores the affinity', () => {
    const none = gic();
    expect(rc(none.gic.getAttr(GRP.DIST_REGS, 0x0n, 0n))).toBe('EINVAL');
    const h = gic(7);
    h.init();
    expect(h.gic.getAttr(GRP.DIST_REGS, (0x55n << 32n) | 0x0n, 0n)).toMatchObject({ ok: true, value: 0x50n }); // ARE_NS | DS
    expect(h.read(GRP.DIST_REGS, 0x4n)).toBe(0x7n | (9n << 19n)); // 256 interrupts, no ITS
    h.its();
    expect(h.read(GRP.DIST_REGS, 0x4n)).toBe(0x7n | (15n << 19n) | (1n << 17n));
  });

  it('reads 0 and ignores writes at an offset with no register', () => {
    const h = gic(0);
    h.init();
    expect(h.gic.getAttr(GRP.REDIST_REGS, 0x20n, 0n)).toMatchObject({ ok: true, value: 0n });
    expect(rc(h.gic.setAttr(GRP.REDIST_REGS, 0x20n, 0xffn))).toBe(0);
    expect(h.read(GRP.REDIST_REGS, 0xffe8n)).toBe(0x3bn); // GICR_PIDR2: GICv3
    expect(h.read(GRP.REDIST_REGS, 0x4n)).toBe(0x4b00043bn); // GICR_IIDR
  });

  it('LEVEL_INFO wants info 0 and a multiple of 32', () => {
    const h = gic(0);
    h.init();
    expect(rc(h.gic.getAttr(GRP.LEVEL_INFO, 32n, 0n))).toBe(0);
    expect(rc(h.gic.getAttr(GRP.LEVEL_INFO, 33n, 0n))).toBe('EINVAL');
    expect(rc(h.gic.getAttr(GRP.LEVEL_INFO, 1n << 10n, 0n))).toBe('EINVAL');
  });
});

describe('has_attr (§4)', () => {
  it('answers per group without reading any buffer', () => {
    const h = gic(0);
    expect([2n, 3n, 5n, 4n, 0n].map((a) => has(h, GRP.ADDR, a))).toEqual([0, 0, 0, 'ENXIO', 'ENXIO']);
    expect([has(h, GRP.NR_IRQS, 0n), has(h, GRP.CTRL, 0n), has(h, GRP.CTRL, 3n), has(h, GRP.CTRL, 1n)]).toEqual([0, 0, 0, 'ENXIO']);
    expect([has(h, GRP.CPU_REGS, 0n), has(h, GRP.ITS_REGS, 0n), has(h, 99, 0n)]).toEqual(['ENXIO', 'ENXIO', 'ENXIO']);
    expect([has(h, GRP.LEVEL_INFO, 0n), has(h, GRP.LEVEL_INFO, 1n << 10n)]).toEqual([0, 'ENXIO']);
  });

  it('register groups: lookup first, then 4-byte alignment, then a register at the offset — no CTRL_INIT needed', () => {
    const h = gic(0);
    expect(has(h, GRP.REDIST_REGS, (3n << 32n) | 0x9n)).toBe('EINVAL');
    expect([0x8n, 0xcn, 0x9n, 0x20n, 0x10100n, 0x10400n, 0xffe8n].map((o) => has(h, GRP.REDIST_REGS, o))).toEqual([0, 0, 'ENXIO', 'ENXIO', 0, 0, 0]);
    expect(has(h, GRP.CPU_SYSREGS, 0n)).toBe('ENXIO'); // [U] no ICC register modelled
  });

  it('per-interrupt distributor registers reach only the VM interrupts', () => {
    const h = gic(0);
    expect([0x80n, 0x84n].map((o) => has(h, GRP.DIST_REGS, o))).toEqual([0, 'ENXIO']); // 32 interrupts before CTRL_INIT
    h.init();
    expect([0x84n, 0x9cn, 0xa0n, 0x6100n, 0x6800n].map((o) => has(h, GRP.DIST_REGS, o))).toEqual([0, 0, 'ENXIO', 0, 'ENXIO']);
  });
});
