/**
 * The VMM's RAM blocks and the memslots it gives KVM (QEMU's RAMBlocks and memory
 * listener): `pc.ram` (split around the legacy hole and the PCI hole, so three slots),
 * `system.flash1` (OVMF variables) and `system.flash0` (OVMF code), both read-only slots
 * (pflash in ROMD mode: reads go to memory, writes exit as MMIO).
 */
import type { KvmVm } from '../kvm/kvm.js';
import { KvmMemFlag } from '../kvm/uapi/kvm.js';
import { FLASH0_BASE, FLASH1_BASE, FOUR_GIB, LEGACY_HOLE_END, LEGACY_HOLE_START, OVMF_CODE_SIZE, OVMF_VARS_SIZE, type X86Layout } from './memory-layout.js';
import type { MappedBlock, ProcessMemory } from './process-memory.js';

/** A guest-physical window onto a RAM block. */
export interface RamMapping {
  slot: number;
  gpa: number;
  size: number;
  /** Offset of the window in its block. */
  offset: number;
}

/** One RAM block with its windows. */
export interface RamBlock extends MappedBlock {
  readonly readonly: boolean;
  readonly mappings: RamMapping[];
}

/** The RAM blocks of one machine. */
export class GuestRam {
  readonly blocks: RamBlock[] = [];

  constructor(
    readonly layout: X86Layout,
    private readonly mem: ProcessMemory,
  ) {
    const ram = mem.mapRam('pc.ram', layout.ramBytes);
    const ramMaps: RamMapping[] = [
      { slot: 0, gpa: 0, size: LEGACY_HOLE_START, offset: 0 },
      { slot: 1, gpa: LEGACY_HOLE_END, size: layout.below4g - LEGACY_HOLE_END, offset: LEGACY_HOLE_END },
    ];
    if (layout.above4g > 0) ramMaps.push({ slot: 2, gpa: FOUR_GIB, size: layout.above4g, offset: layout.below4g });
    this.blocks.push({ ...ram, readonly: false, mappings: ramMaps });
    const vars = mem.mapRam('system.flash1', OVMF_VARS_SIZE);
    this.blocks.push({ ...vars, readonly: true, mappings: [{ slot: 3, gpa: FLASH1_BASE, size: OVMF_VARS_SIZE, offset: 0 }] });
    const code = mem.mapRam('system.flash0', OVMF_CODE_SIZE);
    this.blocks.push({ ...code, readonly: true, mappings: [{ slot: 4, gpa: FLASH0_BASE, size: OVMF_CODE_SIZE, offset: 0 }] });
  }

  /** The block named `name`. */
  block(name: string): RamBlock {
    const b = this.blocks.find((x) => x.name === name);
    if (!b) throw new Error(`no RAM block ${name}`);
    return b;
  }

  /** Registers every window as a memslot (KVM_SET_USER_MEMORY_REGION); returns the first failure or 0. */
  registerMemslots(vm: KvmVm): number {
    for (const b of this.blocks) {
      for (const m of b.mappings) {
        const r = vm.setUserMemoryRegion({ slot: m.slot, flags: b.readonly ? KvmMemFlag.KVM_MEM_READONLY : 0, guestPhysAddr: m.gpa, memorySize: m.size, userspaceAddr: b.hva + m.offset });
        if (r !== 0) return r;
      }
    }
    return 0;
  }

  /** The block, host-virtual address and block offset behind `gpa`, or undefined (not RAM). */
  resolve(gpa: number): { block: RamBlock; hva: number; offset: number; mapping: RamMapping } | undefined {
    for (const block of this.blocks) {
      for (const m of block.mappings) {
        if (gpa >= m.gpa && gpa < m.gpa + m.size) {
          const offset = m.offset + (gpa - m.gpa);
          return { block, hva: block.hva + offset, offset, mapping: m };
        }
      }
    }
    return undefined;
  }

  /** Reads what DRAM holds at `gpa` (the hypervisor's view); undefined where it is not RAM. */
  readRaw(gpa: number, len: number): Uint8Array | undefined {
    const out = new Uint8Array(len);
    let o = 0;
    while (o < len) {
      const r = this.resolve(gpa + o);
      if (!r) return undefined;
      const take = Math.min(len - o, r.mapping.gpa + r.mapping.size - (gpa + o));
      const bytes = this.mem.read(r.hva, take);
      if (!bytes) return undefined;
      out.set(bytes, o);
      o += take;
    }
    return out;
  }

  /** Writes raw bytes at `gpa` from the hypervisor (no encryption); false where it is not RAM. */
  writeRaw(gpa: number, data: Uint8Array): boolean {
    let o = 0;
    while (o < data.length) {
      const r = this.resolve(gpa + o);
      if (!r) return false;
      const take = Math.min(data.length - o, r.mapping.gpa + r.mapping.size - (gpa + o));
      if (!this.mem.write(r.hva, data.subarray(o, o + take))) return false;
      o += take;
    }
    return true;
  }
}
