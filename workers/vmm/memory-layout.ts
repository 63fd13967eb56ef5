/**
 * The x86 guest-physical memory map of a QEMU `q35` machine, as far as the lab needs it
 * (QEMU hw/i386/pc_q35.c, pc.c, pc_sysfw.c):
 *
 * - low RAM from 0 up to `below4g` = min(RAM, lowmem limit), where the limit is 2 GiB
 *   when RAM ≥ 2.75 GiB (0xb0000000) and 2.75 GiB otherwise (q35's rule);
 * - the legacy hole 0xa0000–0x100000 (VGA window, option ROMs, BIOS shadow) is not RAM in
 *   the lab (QEMU overlays it with MMIO/ROM; [U] lab choice: left unmapped);
 * - the 32-bit PCI hole from `below4g` to 4 GiB: PCIe MMCONFIG at 0xb0000000 (256 MiB),
 *   the IOAPIC at 0xfec00000, the LAPIC at 0xfee00000, and the two pflash units at the
 *   very top: flash0 (OVMF code) ends at 4 GiB, flash1 (variables) right below it;
 * - RAM above 4 GiB from 0x1_0000_0000 for the rest (`above4g`).
 *
 * [U] lab choice: the OVMF images have the sizes of the 4 MiB build (OVMF_CODE.fd
 * 0x37c000 bytes, OVMF_VARS.fd 0x84000 bytes), so flash1 starts at 0xffc00000 and
 * flash0 at 0xffc84000.
 */
import { PAGE_SIZE } from '../kvm/uapi/kvm-para.js';

/** 4 GiB. */
export const FOUR_GIB = 0x1_0000_0000;
/** Start of the legacy VGA/ROM hole. */
export const LEGACY_HOLE_START = 0xa0000;
/** End of the legacy hole (1 MiB). */
export const LEGACY_HOLE_END = 0x100000;
/** PCIe MMCONFIG window (q35 PCIEXBAR default). */
export const MMCONFIG_BASE = 0xb0000000;
/** Size of the MMCONFIG window. */
export const MMCONFIG_SIZE = 0x10000000;
/** IOAPIC MMIO. */
export const IOAPIC_BASE = 0xfec00000;
/** Local APIC MMIO. */
export const LAPIC_BASE = 0xfee00000;
/** OVMF_CODE.fd size (the 4 MiB build). */
export const OVMF_CODE_SIZE = 0x37c000;
/** OVMF_VARS.fd size (the 4 MiB build). */
export const OVMF_VARS_SIZE = 0x84000;
/** flash0 (code) base: it ends at 4 GiB. */
export const FLASH0_BASE = FOUR_GIB - OVMF_CODE_SIZE;
/** flash1 (variables) base: right below flash0. */
export const FLASH1_BASE = FLASH0_BASE - OVMF_VARS_SIZE;

/** One region of the guest-physical map. */
export interface MemoryRegionInfo {
  name: string;
  gpa: number;
  size: number;
  kind: 'ram' | 'rom' | 'flash' | 'mmio';
}

/** The machine's layout for `ramBytes` of RAM. */
export interface X86Layout {
  ramBytes: number;
  below4g: number;
  above4g: number;
  regions: MemoryRegionInfo[];
}

/** Computes the layout (RAM must be a positive multiple of 2 MiB). */
export function x86Layout(ramBytes: number): X86Layout {
  const lowmemLimit = ramBytes >= 0xb0000000 ? 0x80000000 : 0xb0000000;
  const below4g = Math.min(ramBytes, lowmemLimit);
  const above4g = ramBytes - below4g;
  const regions: MemoryRegionInfo[] = [
    { name: 'pc.ram (low)', gpa: 0, size: LEGACY_HOLE_START, kind: 'ram' },
    { name: 'legacy VGA/ROM hole', gpa: LEGACY_HOLE_START, size: LEGACY_HOLE_END - LEGACY_HOLE_START, kind: 'mmio' },
    { name: 'pc.ram', gpa: LEGACY_HOLE_END, size: below4g - LEGACY_HOLE_END, kind: 'ram' },
    { name: 'PCI hole', gpa: below4g, size: MMCONFIG_BASE - below4g, kind: 'mmio' },
    { name: 'pcie-mmcfg', gpa: MMCONFIG_BASE, size: MMCONFIG_SIZE, kind: 'mmio' },
    { name: 'PCI hole (32-bit BARs)', gpa: MMCONFIG_BASE + MMCONFIG_SIZE, size: IOAPIC_BASE - MMCONFIG_BASE - MMCONFIG_SIZE, kind: 'mmio' },
    { name: 'ioapic', gpa: IOAPIC_BASE, size: 0x1000, kind: 'mmio' },
    { name: 'apic', gpa: LAPIC_BASE, size: 0x100000, kind: 'mmio' },
    { name: 'system.flash1', gpa: FLASH1_BASE, size: OVMF_VARS_SIZE, kind: 'flash' },
    { name: 'system.flash0', gpa: FLASH0_BASE, size: OVMF_CODE_SIZE, kind: 'flash' },
  ].filter((r) => r.size > 0) as MemoryRegionInfo[];
  if (above4g > 0) regions.push({ name: 'pc.ram (above 4G)', gpa: FOUR_GIB, size: above4g, kind: 'ram' });
  return { ramBytes, below4g, above4g, regions };
}

/** `pc.ram` offset (QEMU's ram_addr_t within the block) of guest address `gpa`, or undefined if not RAM. */
export function ramOffsetOf(l: X86Layout, gpa: number): number | undefined {
  if (gpa >= 0 && gpa < LEGACY_HOLE_START) return gpa;
  if (gpa >= LEGACY_HOLE_END && gpa < l.below4g) return gpa;
  if (gpa >= FOUR_GIB && gpa < FOUR_GIB + l.above4g) return l.below4g + (gpa - FOUR_GIB);
  return undefined;
}

/** The guest address of `pc.ram` offset `off` (the inverse of {@link ramOffsetOf}). */
export function gpaOfRamOffset(l: X86Layout, off: number): number {
  return off < l.below4g ? off : FOUR_GIB + (off - l.below4g);
}

/** Number of 4 KiB pages of `pc.ram`. */
export function ramPages(l: X86Layout): number {
  return l.ramBytes / PAGE_SIZE;
}
