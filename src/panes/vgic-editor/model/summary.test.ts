import { TWO_REGIONS_8_VCPUS } from '../../../../workers/vgic/test-support/layouts';
import { describe, expect, it } from 'vitest';
import { Engine } from '../../../../workers/api/engine';
import type { VgicLayout } from '../../../../workers/api/types';
import { layoutBlocks } from './blocks';
import { framesByBlock, lastReason } from './frames';
import { layoutSummary, vcpuList } from './summary';
import { hexTicks } from './ticks';

const engine = new Engine();
const two = TWO_REGIONS_8_VCPUS;

describe('the layout in words', () => {
  it('compresses vCPU lists', () => {
    expect(vcpuList([0, 1, 2, 3, 5, 7, 8])).toBe('0–3, 5, 7, 8');
    expect(vcpuList([])).toBe('none');
  });

  it('says where each block is, whom its frames serve, where Last is, and the verdict', () => {
    const e = engine.vgicEvaluate(two);
    const s = layoutSummary(layoutBlocks(two), e, BigInt(e.ipaSize));
    expect(s).toContain('1 TiB (40-bit IPA)');
    expect(s).toContain('Distributor at 0x08000000–0x0800ffff.');
    expect(s).toContain('Region idx 0 at 0x080a0000–0x0811ffff, 4 frames serving vCPU 0–3; Last set for vCPU 3.');
    expect(s).toContain('Region idx 1 at 0x08200000–0x0827ffff, 4 frames serving vCPU 4–7; Last set for vCPU 7.');
    expect(s).toContain('accepts the layout');
  });

  it('gives each block its frames and explains Last by the §7 rule', () => {
    const l: VgicLayout = {
      profile: '5.13',
      vcpus: 2,
      dist: { base: '0x0' },
      regions: [
        { index: 0, base: '0x220000', count: 1 },
        { index: 1, base: '0x200000', count: 1 },
      ],
    };
    const e = engine.vgicEvaluate(l);
    const byBlock = framesByBlock(layoutBlocks(l), e);
    const f0 = byBlock.get('region:0')![0];
    const f1 = byBlock.get('region:1')![0];
    expect([f0.vcpuId, f1.vcpuId]).toEqual([0, 1]);
    expect(lastReason(f0, e)).toMatch(/no region with vCPUs starts right after it .*Last = 1/);
    expect(lastReason(f1, e)).toMatch(/region idx 0 starts right after it at 0x220000 .*Last = 0/);
    const old = engine.vgicEvaluate({ ...l, profile: '5.12' });
    expect(lastReason(framesByBlock(layoutBlocks(l), old).get('region:1')![0], old)).toMatch(
      /^5\.12 .*\(1\), whatever the frames: this is that vCPU/,
    );
  });
});

describe('address ticks', () => {
  it('steps by powers of two so hex labels are round', () => {
    expect(hexTicks(0x8000000, 0x8400000, 4)).toEqual([0x8000000, 0x8100000, 0x8200000, 0x8300000, 0x8400000]);
    expect(hexTicks(5, 5, 4)).toEqual([]);
  });
});
