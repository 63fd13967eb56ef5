import { describe, expect, it } from 'vitest';
import type { VgicLayout } from '../../workers/api/types';
import { decodeLayout, encodeLayout } from './vgic-url';

const qemu: VgicLayout = {
  profile: '5.16',
  vcpus: 6,
  vcpuIds: [0, 3, 5, 4, 1, 2],
  ipaBits: 44,
  dist: { base: '0x8000000' },
  its: { base: '0x8080000' },
  regions: [
    { index: 0, base: '0x80a0000', count: 4 },
    { index: 1, base: '0x4000000000', count: 2 },
  ],
  order: 'dist-last',
};

describe('the layout in the URL hash', () => {
  it('round-trips every field compactly', () => {
    const text = encodeLayout(qemu);
    expect(text).toBe('k16_v6_c0.3.5.4.1.2_b44_d8000000_i8080000_r0.80a0000.4_r1.4000000000.2_o');
    expect(new URLSearchParams({ layout: text }).toString()).toBe(`layout=${text}`);
    expect(decodeLayout(text)).toEqual(qemu);
  });

  it('keeps the legacy region and drops a default creation order', () => {
    const l: VgicLayout = { profile: '5.12', vcpus: 3, vcpuIds: [0, 1, 2], redist: { base: '0x10000' } };
    expect(encodeLayout(l)).toBe('k12_v3_l10000');
    expect(decodeLayout('k12_v3_l10000')).toEqual({ profile: '5.12', vcpus: 3, redist: { base: '0x10000' } });
  });

  it('refuses malformed text instead of guessing', () => {
    for (const bad of [
      'k13_v8_r0.zz.4',
      'k13_v8_x1',
      'k13_v8_c0.1',
      'k13_v99999',
      'k13_r1.10000',
      'k13_d12345678901234567',
    ]) {
      expect(decodeLayout(bad), bad).toBeUndefined();
    }
  });
});
