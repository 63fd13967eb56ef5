/**
 * The hardware one host's PSP shares with the rest of that host (design.md "The
 * machine"): system-physical memory, the memory controller with its per-ASID key slots,
 * the cores' WBINVD_DONE flags and the per-ASID "valid for VMRUN" bits.
 *
 * The SEV host (KVM, guest memory, the VMM) builds one `SevHardware`, hands it to the
 * {@link Psp}, and keeps using it: guest accesses go through `controller` with the
 * guest's ASID and C-bit, the hypervisor's through `controller` with ASID 0 (or
 * `memory` directly), KVM's WBINVD before DF_FLUSH is {@link SevHardware.wbinvd}, and
 * VMRUN may only enter an ASID for which {@link SevHardware.isAsidValid} holds.
 */
import { HostMemory, type RamRange } from './memory/host-memory.js';
import { MemoryController } from './memory/memory-controller.js';

/** What the host's CPUs report about SEV (CPUID 0x8000001F, reference §13). */
export interface SevCpuConfig {
  /** Page-table bit that selects encryption (EBX[5:0]); AMD's example and the lab's: 47. */
  readonly cBit: number;
  /** Number of encrypted guests = highest ASID (ECX). */
  readonly maxAsid: number;
  /**
   * Lowest ASID for plain SEV guests (EDX); ASIDs below it are for SEV-ES guests. The
   * lab's default is 1: every ASID 1..maxAsid serves SEV guests (§17.1), and the ES/SEV
   * split (FW `sev_es_validate_asid`) is only checked when this is above 1.
   */
  readonly minSevAsid: number;
}

/** The lab's default CPU: C-bit 47, ASIDs 1–15, no ES/SEV split ([U] lab choice, §17.1). */
export const DEFAULT_SEV_CPU: SevCpuConfig = { cBit: 47, maxAsid: 15, minSevAsid: 1 };

/** Shared hardware of one host. */
export class SevHardware {
  readonly memory: HostMemory;
  readonly controller: MemoryController;
  readonly cpu: SevCpuConfig;
  private wbinvdDone = false;
  private readonly asidValid = new Set<number>();

  /** Hardware with the given RAM ranges and CPU (defaults: no RAM yet, {@link DEFAULT_SEV_CPU}). */
  constructor(opts: { ram?: readonly RamRange[]; cpu?: Partial<SevCpuConfig> } = {}) {
    this.memory = new HostMemory(opts.ram ?? []);
    this.controller = new MemoryController(this.memory);
    this.cpu = { ...DEFAULT_SEV_CPU, ...opts.cpu };
  }

  /** WBINVD executed on every core: sets every core's WBINVD_DONE flag (§13). */
  wbinvd(): void {
    this.wbinvdDone = true;
  }

  /** True when every core has done a WBINVD since the PSP last cleared the flags. */
  isWbinvdDone(): boolean {
    return this.wbinvdDone;
  }

  /** PSP: clears the WBINVD_DONE flags (INIT; DEACTIVATE of a guest that ran). */
  clearWbinvdDone(): void {
    this.wbinvdDone = false;
  }

  /** True when VMRUN may use `asid` (set when an ACTIVATE takes full effect). */
  isAsidValid(asid: number): boolean {
    return this.asidValid.has(asid);
  }

  /** PSP: marks `asid` valid (true) or invalid (false) on every core. */
  setAsidValid(asid: number, valid: boolean): void {
    if (valid) this.asidValid.add(asid);
    else this.asidValid.delete(asid);
  }

  /** PSP: marks every ASID invalid (INIT, SHUTDOWN). */
  invalidateAllAsids(): void {
    this.asidValid.clear();
  }

  /** Strips the C-bit from a physical address as the PSP does before using it (§10.2, §13). */
  stripCBit(addr: bigint): bigint {
    return addr & ~(1n << BigInt(this.cpu.cBit));
  }
}
