import { describe, expect, it } from 'vitest';
import { Engine } from '../../../../workers/api/engine';
import type { VgicLayout } from '../../../../workers/api/types';
import { layoutBlocks } from './blocks';
import { errnoLabel, markedBlocks, overlaps, phaseLabel } from './marks';

const engine = new Engine();
const marks = (l: VgicLayout) => {
  const e = engine.vgicEvaluate(l);
  return { e, ids: [...markedBlocks(layoutBlocks(l), e).keys()].sort() };
};

describe('marking the offending blocks', () => {
  it('marks nothing on a layout that runs', () => {
    expect(
      marks({ profile: '5.13', vcpus: 2, dist: { base: '0x0' }, regions: [{ index: 0, base: '0x20000', count: 2 }] })
        .ids,
    ).toEqual([]);
  });

  it('marks a region refused at set_attr and the DIST it overlaps', () => {
    const { e, ids } = marks({
      profile: '5.13',
      vcpus: 2,
      dist: { base: '0x20000' },
      regions: [{ index: 0, base: '0x20000', count: 2 }],
    });
    expect(e.failures[0]).toMatchObject({ phase: 'set_attr', target: 'region:0', errno: 'EINVAL' });
    expect(errnoLabel(e.failures[0])).toBe('-EINVAL (22)');
    expect(phaseLabel(e.failures[0])).toBe('KVM_SET_DEVICE_ATTR (set_attr)');
    expect(ids).toEqual(['dist', 'region:0']);
  });

  it('marks both blocks of an overlap found at the first KVM_RUN (the selftest case)', () => {
    const { e, ids } = marks({
      profile: '5.13',
      vcpus: 4,
      redist: { base: '0x0' },
      dist: { base: '0x60000' },
      order: 'dist-last',
    });
    expect(e.failures.map((f) => [f.phase, f.errno])).toEqual([['run', 'EINVAL']]);
    expect(ids).toEqual(['dist', 'redist']);
  });

  it('marks every redistributor block when they hold too few frames, and an index out of order', () => {
    expect(
      marks({
        profile: '5.13',
        vcpus: 4,
        dist: { base: '0x0' },
        regions: [
          { index: 0, base: '0x20000', count: 2 },
          { index: 1, base: '0x100000', count: 1 },
        ],
      }).ids,
    ).toEqual(['region:0', 'region:1']);
    const { e, ids } = marks({
      profile: '5.13',
      vcpus: 2,
      dist: { base: '0x0' },
      regions: [
        { index: 0, base: '0x20000', count: 1 },
        { index: 2, base: '0x100000', count: 1 },
      ],
    });
    expect(e.failures[0]).toMatchObject({ errno: 'EINVAL', rule: 'index-not-next' });
    expect(ids).toEqual(['region:0', 'region:1']);
  });

  it('marks a block beyond the IPA size', () => {
    const { e, ids } = marks({
      profile: '5.13',
      vcpus: 1,
      dist: { base: '0x10000000000' },
      regions: [{ index: 0, base: '0x20000', count: 1 }],
    });
    expect(e.failures[0]).toMatchObject({ errno: 'E2BIG', target: 'dist' });
    expect(ids).toContain('dist');
  });

  it('finds overlaps among the GIC blocks only', () => {
    const l: VgicLayout = {
      profile: '5.13',
      vcpus: 1,
      dist: { base: '0x0' },
      its: { base: '0x0' },
      regions: [{ index: 0, base: '0x40000', count: 1 }],
    };
    expect(overlaps(layoutBlocks(l))).toEqual([]);
    expect(overlaps(layoutBlocks({ ...l, regions: [{ index: 0, base: '0x0', count: 2 }] }))).toEqual([
      { start: 0n, end: 0x10000n, ids: ['dist', 'region:0'] },
    ]);
  });
});
