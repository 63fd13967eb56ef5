/**
 * The E820 map OVMF hands the kernel (from its UEFI memory map), and the ranges OVMF
 * itself marks shared (C-bit clear) — the two sets kexec treats differently: a kexec'd
 * kernel resets every E820 **RAM** range to encrypted and so keeps OVMF's shared ranges,
 * which are never RAM (reference sev-migration-flow.md §2.6).
 *
 * [U] lab choices: OVMF keeps a 4 MiB runtime area at the top of low RAM (reported
 * reserved), one page of which is its fw_cfg DMA bounce buffer and stays shared; its
 * GCD has MMIO for MMCONFIG, IOAPIC, LAPIC and the flash, NonExistent between them;
 * AmdSevDxe clears the C-bit of every MMIO and NonExistent range below 4 GiB.
 */
import {
  FLASH1_BASE,
  FOUR_GIB,
  IOAPIC_BASE,
  LAPIC_BASE,
  LEGACY_HOLE_END,
  LEGACY_HOLE_START,
  MMCONFIG_BASE,
  MMCONFIG_SIZE,
  type X86Layout,
} from '../vmm/memory-layout.js';

/** Size of OVMF's runtime area at the top of low RAM. */
export const OVMF_RUNTIME_SIZE = 4 * 1024 * 1024;

/** One E820 entry. */
export interface E820Entry {
  addr: number;
  size: number;
  type: 'usable' | 'reserved' | 'ACPI NVS';
}

/** A range OVMF shares, with its GCD type. */
export interface FirmwareRange {
  gpa: number;
  size: number;
  what: string;
}

/** The E820 map of a machine. */
export function e820Map(l: X86Layout): E820Entry[] {
  const out: E820Entry[] = [
    { addr: 0, size: LEGACY_HOLE_START, type: 'usable' },
    { addr: LEGACY_HOLE_END, size: l.below4g - OVMF_RUNTIME_SIZE - LEGACY_HOLE_END, type: 'usable' },
    { addr: l.below4g - OVMF_RUNTIME_SIZE, size: OVMF_RUNTIME_SIZE, type: 'reserved' },
    { addr: MMCONFIG_BASE, size: MMCONFIG_SIZE, type: 'reserved' },
    { addr: FLASH1_BASE, size: FOUR_GIB - FLASH1_BASE, type: 'reserved' },
  ];
  if (l.above4g > 0) out.push({ addr: FOUR_GIB, size: l.above4g, type: 'usable' });
  return out;
}

/** OVMF's fw_cfg DMA bounce page (in its reserved runtime area). */
export function fwCfgDmaPage(l: X86Layout): number {
  return l.below4g - OVMF_RUNTIME_SIZE;
}

/** The ranges OVMF marks shared, in the order AmdSevDxe walks its GCD map. */
export function firmwareSharedRanges(l: X86Layout): FirmwareRange[] {
  const r: FirmwareRange[] = [
    { gpa: fwCfgDmaPage(l), size: 4096, what: 'fw_cfg DMA buffer (runtime)' },
    { gpa: l.below4g, size: MMCONFIG_BASE - l.below4g, what: 'NonExistent' },
    { gpa: MMCONFIG_BASE, size: MMCONFIG_SIZE, what: 'MMIO (PCIe MMCONFIG)' },
    { gpa: MMCONFIG_BASE + MMCONFIG_SIZE, size: IOAPIC_BASE - MMCONFIG_BASE - MMCONFIG_SIZE, what: 'NonExistent (PCI 32-bit window)' },
    { gpa: IOAPIC_BASE, size: 0x1000, what: 'MMIO (IOAPIC)' },
    { gpa: IOAPIC_BASE + 0x1000, size: LAPIC_BASE - IOAPIC_BASE - 0x1000, what: 'NonExistent' },
    { gpa: LAPIC_BASE, size: 0x100000, what: 'MMIO (LAPIC)' },
    { gpa: LAPIC_BASE + 0x100000, size: FLASH1_BASE - LAPIC_BASE - 0x100000, what: 'NonExistent' },
    { gpa: FLASH1_BASE, size: FOUR_GIB - FLASH1_BASE, what: 'MMIO (flash)' },
  ];
  return r.filter((x) => x.size > 0);
}

/** The kernel's `BIOS-e820:` line for an entry. */
export function e820Line(e: E820Entry): string {
  const h = (v: number): string => `0x${v.toString(16).padStart(16, '0')}`;
  return `BIOS-e820: [mem ${h(e.addr)}-${h(e.addr + e.size - 1)}] ${e.type}`;
}
