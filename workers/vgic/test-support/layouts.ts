/** Layouts the vGIC tests share (unit, UI model and e2e). */
import type { VgicLayout } from '../../api/types.js';

/** A valid 5.13 layout: the distributor and two 4-frame redistributor regions for 8 vCPUs. */
export const TWO_REGIONS_8_VCPUS: VgicLayout = {
  profile: '5.13',
  vcpus: 8,
  dist: { base: '0x8000000' },
  regions: [
    { index: 0, base: '0x80a0000', count: 4 },
    { index: 1, base: '0x8200000', count: 4 },
  ],
};
