/**
 * The parts of KVM's paravirtual interface that both SEV live-migration ABIs share
 * (Linux `include/uapi/linux/kvm_para.h`, `arch/x86/include/uapi/asm/kvm_para.h`;
 * reference sev-migration-flow.md §1.1–§1.3). The numbers that the two ABIs give
 * *different meanings* (hypercall 12, CPUID bits 16/17, MSR 0x4b564d08) are not here:
 * they live in `abi-v11.ts` and `abi-upstream.ts`, one file per ABI (§7 pitfall 1).
 */

/** x86 page size: hypercall page counts are in 4 KiB pages (§1.1). */
export const PAGE_SIZE = 4096;
/** log2 of {@link PAGE_SIZE}: `gfn = gpa >> PAGE_SHIFT`. */
export const PAGE_SHIFT = 12;

/** CPUID leaf with the "KVMKVMKVM\0\0\0" signature in EBX, ECX, EDX (and max leaf in EAX). */
export const KVM_CPUID_SIGNATURE = 0x40000000;
/** CPUID leaf whose EAX holds the KVM paravirtual feature bits (§1.2). */
export const KVM_CPUID_FEATURES = 0x40000001;
/** The signature, as the guest compares it. */
export const KVM_SIGNATURE = 'KVMKVMKVM\0\0\0';

/**
 * Feature bits of leaf 0x40000001 EAX that mean the same in every era the lab shows.
 * Bit 14 is listed because the 2020 v5–v8 series used it for live migration before it
 * became ASYNC_PF_INT (§1.2).
 */
export const KvmFeature = {
  KVM_FEATURE_CLOCKSOURCE: 0,
  KVM_FEATURE_NOP_IO_DELAY: 1,
  KVM_FEATURE_MMU_OP: 2,
  KVM_FEATURE_CLOCKSOURCE2: 3,
  KVM_FEATURE_ASYNC_PF: 4,
  KVM_FEATURE_STEAL_TIME: 5,
  KVM_FEATURE_PV_EOI: 6,
  KVM_FEATURE_PV_UNHALT: 7,
  KVM_FEATURE_PV_TLB_FLUSH: 9,
  KVM_FEATURE_ASYNC_PF_VMEXIT: 10,
  KVM_FEATURE_PV_SEND_IPI: 11,
  KVM_FEATURE_POLL_CONTROL: 12,
  KVM_FEATURE_PV_SCHED_YIELD: 13,
  KVM_FEATURE_ASYNC_PF_INT: 14,
  KVM_FEATURE_MSI_EXT_DEST_ID: 15,
  KVM_FEATURE_CLOCKSOURCE_STABLE_BIT: 24,
} as const;

/** Hypercall numbers other than 12 (RAX on VMMCALL; §1.1). */
export const KvmHypercall = {
  KVM_HC_VAPIC_POLL_IRQ: 1,
  KVM_HC_MMU_OP: 2,
  KVM_HC_FEATURES: 3,
  KVM_HC_PPC_MAP_MAGIC_PAGE: 4,
  KVM_HC_KICK_CPU: 5,
  KVM_HC_MIPS_GET_CLOCK_FREQ: 6,
  KVM_HC_MIPS_EXIT_VM: 7,
  KVM_HC_MIPS_CONSOLE_OUTPUT: 8,
  KVM_HC_CLOCK_PAIRING: 9,
  KVM_HC_SEND_IPI: 10,
  KVM_HC_SCHED_YIELD: 11,
} as const;

/** Errors a hypercall leaves (negated) in RAX: `KVM_ENOSYS` is 1000, the rest are errno values. */
export const KvmHcErrno = {
  KVM_ENOSYS: 1000,
  KVM_EFAULT: 14,
  KVM_EINVAL: 22,
  KVM_E2BIG: 7,
  KVM_EPERM: 1,
  KVM_EOPNOTSUPP: 95,
} as const;

/** KVM's custom MSRs that do not change meaning between the ABIs (§1.3 range). */
export const KvmMsr = {
  MSR_KVM_WALL_CLOCK_NEW: 0x4b564d00,
  MSR_KVM_SYSTEM_TIME_NEW: 0x4b564d01,
  MSR_KVM_ASYNC_PF_EN: 0x4b564d02,
  MSR_KVM_STEAL_TIME: 0x4b564d03,
  MSR_KVM_PV_EOI_EN: 0x4b564d04,
  MSR_KVM_POLL_CONTROL: 0x4b564d05,
  MSR_KVM_ASYNC_PF_INT: 0x4b564d06,
  MSR_KVM_ASYNC_PF_ACK: 0x4b564d07,
} as const;

/** The name of a shared hypercall number, or undefined. */
export function sharedHypercallName(nr: number): string | undefined {
  return (Object.entries(KvmHypercall) as [string, number][]).find(([, v]) => v === nr)?.[0];
}

/** The name of a shared KVM MSR, or undefined. */
export function sharedMsrName(msr: number): string | undefined {
  return (Object.entries(KvmMsr) as [string, number][]).find(([, v]) => v === msr)?.[0];
}

/** The name of an errno value a hypercall returns (`-KVM_EINVAL`), or the number. */
export function hypercallRetName(ret: bigint): string {
  const s = BigInt.asIntN(64, ret);
  if (s === 0n) return '0';
  if (s < 0n) {
    const name = (Object.entries(KvmHcErrno) as [string, number][]).find(([, v]) => BigInt(-v) === s)?.[0];
    if (name) return `-${name}`;
  }
  return s.toString();
}
