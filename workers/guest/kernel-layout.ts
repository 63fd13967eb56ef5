/**
 * Where the lab's guest kernel puts the things it shares with the host (guest-physical):
 *
 * - the kernel image at 16 MiB (`CONFIG_PHYSICAL_START`), 8 MiB of it written at boot;
 * - `__bss_decrypted` at 40 MiB: 2 MiB (PMD-aligned by the linker script), of which the
 *   first page holds `hv_clock_boot[]` and the second `wall_clock`; the unused 510 pages
 *   are re-encrypted and freed by `mem_encrypt_free_decrypted_mem`;
 * - the per-CPU `DEFINE_PER_CPU_DECRYPTED` page (apf_reason, steal_time, apic_eoi) at
 *   44 MiB;
 * - SWIOTLB bounce buffers below the OVMF runtime area at the top of low RAM, sized as
 *   `sev_setup_arch` does: 6 % of RAM clamped to [64 MiB, 1 GiB];
 * - workload memory from 64 MiB up (private) plus a DMA ring of shared pages.
 *
 * [U] lab choice for every address; the sizes and the section rules are the kernel's.
 */
import { OVMF_RUNTIME_SIZE } from '../ovmf/e820.js';
import type { X86Layout } from '../vmm/memory-layout.js';

const MiB = 1024 * 1024;

/** The guest kernel's placement of its shared data. */
export interface KernelLayout {
  kernelBase: number;
  kernelSize: number;
  bssDecrypted: number;
  bssDecryptedSize: number;
  /** Pages of `__bss_decrypted` in use (hv_clock_boot, wall_clock). */
  bssDecryptedUsedPages: number;
  hvClock: number;
  wallClock: number;
  percpuDecrypted: number;
  swiotlbBase: number;
  swiotlbSize: number;
  workloadBase: number;
}

/** The placement for a machine of layout `l`. */
export function kernelLayout(l: X86Layout): KernelLayout {
  const swiotlbSize = Math.min(1024 * MiB, Math.max(64 * MiB, Math.floor((l.ramBytes * 6) / 100 / (2 * MiB)) * 2 * MiB));
  const swiotlbEnd = l.below4g - OVMF_RUNTIME_SIZE;
  return {
    kernelBase: 16 * MiB,
    kernelSize: 8 * MiB,
    bssDecrypted: 40 * MiB,
    bssDecryptedSize: 2 * MiB,
    bssDecryptedUsedPages: 2,
    hvClock: 40 * MiB,
    wallClock: 40 * MiB + 4096,
    percpuDecrypted: 44 * MiB,
    swiotlbBase: swiotlbEnd - swiotlbSize,
    swiotlbSize,
    workloadBase: 64 * MiB,
  };
}
