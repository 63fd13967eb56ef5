/**
 * Layouts for the editor's preset menu: the vgic_init selftest's layouts, the "Last bit"
 * cases of the series (reference §7, §11.6), and QEMU's `virt` machine for 8 and 512
 * vCPUs.
 *
 * QEMU `hw/arm/virt.c` (checked in qemu/qemu): VIRT_GIC_DIST {0x08000000, 64 KiB},
 * VIRT_GIC_ITS {0x08080000, 128 KiB}, VIRT_GIC_REDIST {0x080A0000, 0x00F60000 = 123
 * frames}, VIRT_HIGH_GIC_REDIST2 {64 MiB = 512 frames} in the high IO area, which starts
 * at 256 GiB when the VM has less than 255 GiB of RAM and is aligned on its size, so at
 * 0x4000000000. Region 0 holds min(vCPUs, 123) frames, region 1 the rest.
 * [U] Selftest layouts that never set a DIST get one at 0x0 here (marked in the title)
 * so that they run and show their frames.
 */
import type { VgicLayout, VgicPreset } from './types.js';

const QEMU_DIST = '0x08000000';
const QEMU_ITS = '0x08080000';
const QEMU_REDIST = '0x080a0000';
const QEMU_REDIST_FRAMES = 0xf60000 / 0x20000; // 123
const QEMU_HIGH_REDIST2 = '0x4000000000';

/** QEMU virt with GICv3 + ITS for `vcpus` vCPUs (REDIST_REGION API, as QEMU uses it). */
export function qemuVirtLayout(vcpus: number, profile: VgicLayout['profile'] = '5.13'): VgicLayout {
  const first = Math.min(vcpus, QEMU_REDIST_FRAMES);
  const regions = [{ index: 0, base: QEMU_REDIST, count: first }];
  if (vcpus > first) regions.push({ index: 1, base: QEMU_HIGH_REDIST2, count: vcpus - first });
  return { profile, vcpus, dist: { base: QEMU_DIST }, its: { base: QEMU_ITS }, regions };
}

const CREATION_ORDER = [0, 3, 5, 4, 1, 2];

/** The preset list (plain data). */
export function presets(): VgicPreset[] {
  return [
    {
      name: 'selftest-dist-rdist-overlap',
      title: 'vgic_init: legacy REDIST @0x0 for 4 vCPUs, DIST @0x60000 set after it — the overlap surfaces at the first KVM_RUN (EINVAL)',
      layout: { profile: '5.13', vcpus: 4, redist: { base: '0x0' }, dist: { base: '0x60000' }, order: 'dist-last' },
    },
    {
      name: 'selftest-not-enough-rdists',
      title: 'vgic_init: regions #0 (2 frames) and #1 (1 frame) for 4 vCPUs — vCPU 3 has no frame at KVM_RUN (ENXIO)',
      layout: { profile: '5.13', vcpus: 4, regions: [{ index: 0, base: '0x200000', count: 2 }, { index: 1, base: '0x240000', count: 1 }], dist: { base: '0x260000' } },
    },
    {
      name: 'selftest-new-redist-regions',
      title: 'vgic_init: three regions around the DIST @0x260000 — a complete layout that runs',
      layout: {
        profile: '5.13',
        vcpus: 4,
        dist: { base: '0x260000' },
        regions: [{ index: 0, base: '0x200000', count: 2 }, { index: 1, base: '0x240000', count: 1 }, { index: 2, base: '0x280000', count: 1 }],
      },
    },
    {
      name: 'selftest-typer-accesses',
      title: 'vgic_init test_typer_accesses: vCPUs created 0,3,1,2; #0 (2 @0x200000) takes 0 and 3, #1 (10 @0x20000) takes 1 and 2 [DIST @0x0 added]',
      layout: { profile: '5.13', vcpus: 4, vcpuIds: [0, 3, 1, 2], dist: { base: '0x0' }, regions: [{ index: 0, base: '0x200000', count: 2 }, { index: 1, base: '0x20000', count: 10 }] },
    },
    {
      name: 'last-bit-redist-regions',
      title: 'Last bit, three regions (§5 example): #2 @0x200000 ends where #1 @0x240000 starts, so vCPU 2 has no Last [DIST @0x0 added]',
      layout: {
        profile: '5.13',
        vcpus: 6,
        vcpuIds: CREATION_ORDER,
        dist: { base: '0x0' },
        regions: [{ index: 0, base: '0x100000', count: 2 }, { index: 1, base: '0x240000', count: 2 }, { index: 2, base: '0x200000', count: 2 }],
      },
    },
    {
      name: 'last-bit-single-rdist',
      title: 'Last bit, legacy region @0x10000, vCPUs created 0,3,5,4,1,2: only vCPU 2 (placed last) has Last [DIST @0x0 added]',
      layout: { profile: '5.13', vcpus: 6, vcpuIds: CREATION_ORDER, dist: { base: '0x0' }, redist: { base: '0x10000' } },
    },
    {
      name: 'last-bit-contiguous-pair',
      title: 'Last bit, §11.6: region #1 @0x200000 ends where #0 @0x220000 starts — vCPU 1 has no Last, vCPU 0 has [DIST @0x0 added]',
      layout: { profile: '5.13', vcpus: 2, dist: { base: '0x0' }, regions: [{ index: 0, base: '0x220000', count: 1 }, { index: 1, base: '0x200000', count: 1 }] },
    },
    {
      name: 'last-bit-empty-neighbour',
      title: 'Last bit: region #0 full, adjacent region #1 registered but empty — the final frame of #0 has Last [DIST @0x0 added]',
      layout: { profile: '5.13', vcpus: 2, dist: { base: '0x0' }, regions: [{ index: 0, base: '0x200000', count: 2 }, { index: 1, base: '0x240000', count: 2 }] },
    },
    { name: 'qemu-virt-8', title: 'QEMU virt, GICv3 + ITS, 8 vCPUs: one region of 8 frames @0x080a0000', layout: qemuVirtLayout(8) },
    {
      name: 'qemu-virt-512',
      title: 'QEMU virt, GICv3 + ITS, 512 vCPUs: 123 frames @0x080a0000 and 389 in VIRT_HIGH_GIC_REDIST2 @256 GiB',
      layout: qemuVirtLayout(512),
    },
  ];
}
