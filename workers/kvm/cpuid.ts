/**
 * CPUID as KVM handles it: `KVM_GET_SUPPORTED_CPUID` (what KVM can offer), the VM's
 * CPUID table set by the VMM with `KVM_SET_CPUID2`, and the guest's CPUID instruction
 * answered from that table (reference sev-migration-flow.md §1.2, psp-sev-api.md §13).
 *
 * Leaf 0x40000001 EAX is where the ABIs differ: v11 KVM advertises bit 16
 * (SEV_LIVE_MIGRATION) itself [C, V11-10]; upstream KVM never sets 16/17 — the VMM adds
 * them [I, §1.2]. Leaf 0x8000001F carries the SEV facts: EAX bit 1 SEV, EBX[5:0] C-bit,
 * EBX[11:6] reduced physical-address bits, ECX max ASID, EDX min SEV ASID.
 */
import { KVM_CPUID_FEATURES, KVM_CPUID_SIGNATURE, KvmFeature } from './uapi/kvm-para.js';
import { KVM_FEATURE_SEV_LIVE_MIGRATION } from './uapi/abi-v11.js';
import type { SevMigrationAbi } from './uapi/abi.js';
import type { SevCpuConfig } from '../psp/hardware.js';

/** `struct kvm_cpuid_entry2` (function = leaf, index = subleaf). */
export interface CpuidEntry {
  function: number;
  index: number;
  eax: number;
  ebx: number;
  ecx: number;
  edx: number;
}

/** CPUID 0x8000001F: the memory-encryption leaf. */
export const CPUID_MEM_ENCRYPT = 0x8000001f;
/** [U] lab choice: physical-address bits lost with encryption on (QEMU's `reduced-phys-bits`). */
export const REDUCED_PHYS_BITS = 1;

/** Four ASCII bytes as a little-endian register value. */
function reg4(s: string): number {
  return (s.charCodeAt(0) | (s.charCodeAt(1) << 8) | (s.charCodeAt(2) << 16) | (s.charCodeAt(3) << 24)) >>> 0;
}

/** Feature bits every lab KVM offers in 0x40000001 EAX (a 5.x-era host). */
const BASE_FEATURES = [
  KvmFeature.KVM_FEATURE_CLOCKSOURCE,
  KvmFeature.KVM_FEATURE_NOP_IO_DELAY,
  KvmFeature.KVM_FEATURE_CLOCKSOURCE2,
  KvmFeature.KVM_FEATURE_ASYNC_PF,
  KvmFeature.KVM_FEATURE_STEAL_TIME,
  KvmFeature.KVM_FEATURE_PV_EOI,
  KvmFeature.KVM_FEATURE_PV_UNHALT,
  KvmFeature.KVM_FEATURE_PV_TLB_FLUSH,
  KvmFeature.KVM_FEATURE_ASYNC_PF_VMEXIT,
  KvmFeature.KVM_FEATURE_PV_SEND_IPI,
  KvmFeature.KVM_FEATURE_POLL_CONTROL,
  KvmFeature.KVM_FEATURE_PV_SCHED_YIELD,
  KvmFeature.KVM_FEATURE_ASYNC_PF_INT,
  KvmFeature.KVM_FEATURE_MSI_EXT_DEST_ID,
  KvmFeature.KVM_FEATURE_CLOCKSOURCE_STABLE_BIT,
];

/** KVM_GET_SUPPORTED_CPUID for a host running `abi`'s KVM on a CPU with `cpu`'s SEV facts. */
export function supportedCpuid(abi: SevMigrationAbi, cpu: SevCpuConfig): CpuidEntry[] {
  let features = BASE_FEATURES.reduce<number>((m, b) => m | (1 << b), 0);
  if (abi.id === 'v11') features |= 1 << KVM_FEATURE_SEV_LIVE_MIGRATION;
  return [
    { function: 0, index: 0, eax: 0x10, ebx: reg4('Auth'), ecx: reg4('cAMD'), edx: reg4('enti') },
    // ECX bit 31: running under a hypervisor.
    { function: 1, index: 0, eax: 0x00830f10, ebx: 0x00010800, ecx: 0xf6d83203 | 0x80000000, edx: 0x178bfbff },
    { function: KVM_CPUID_SIGNATURE, index: 0, eax: KVM_CPUID_FEATURES, ebx: reg4('KVMK'), ecx: reg4('VMKV'), edx: reg4('M\0\0\0') },
    { function: KVM_CPUID_FEATURES, index: 0, eax: features >>> 0, ebx: 0, ecx: 0, edx: 0 },
    { function: 0x80000000, index: 0, eax: CPUID_MEM_ENCRYPT, ebx: reg4('Auth'), ecx: reg4('cAMD'), edx: reg4('enti') },
    {
      function: CPUID_MEM_ENCRYPT,
      index: 0,
      eax: 0b11, // SME | SEV
      ebx: (cpu.cBit & 0x3f) | ((REDUCED_PHYS_BITS & 0x3f) << 6),
      ecx: cpu.maxAsid,
      edx: cpu.minSevAsid,
    },
  ];
}

/** The VM's CPUID table (KVM_SET_CPUID2) and the lookup the CPUID instruction does. */
export class CpuidTable {
  private entries: CpuidEntry[] = [];

  /** KVM_SET_CPUID2: replaces the table (copies). */
  set(entries: readonly CpuidEntry[]): void {
    this.entries = entries.map((e) => ({ ...e }));
  }

  /** The table (copies). */
  list(): CpuidEntry[] {
    return this.entries.map((e) => ({ ...e }));
  }

  /** What CPUID(leaf, subleaf) returns: the entry, or zeros for a leaf not in the table. */
  lookup(leaf: number, subleaf: number): CpuidEntry {
    const e = this.entries.find((x) => x.function === leaf && x.index === subleaf) ?? this.entries.find((x) => x.function === leaf && x.index === 0);
    return e ? { ...e, index: subleaf } : { function: leaf, index: subleaf, eax: 0, ebx: 0, ecx: 0, edx: 0 };
  }
}

/** Names of the set bits of a 0x40000001 EAX value, under `abi`'s meaning of bits 16/17. */
export function kvmFeatureNames(eax: number, abi: SevMigrationAbi): string[] {
  const out: string[] = [];
  for (let bit = 0; bit < 32; bit++) {
    if (((eax >>> bit) & 1) === 0) continue;
    const shared = (Object.entries(KvmFeature) as [string, number][]).find(([, b]) => b === bit)?.[0];
    out.push(abi.featureName(bit) ?? shared ?? `bit${bit}`);
  }
  return out;
}
