/**
 * MSR accesses as KVM handles them (Linux `kvm_set_msr_common`, the MSR filter of
 * `KVM_X86_SET_MSR_FILTER`, user-space MSR exits of `KVM_CAP_X86_USER_SPACE_MSR`), and the
 * migration MSR of each ABI (reference sev-migration-flow.md §1.3, §2.4, §4.8):
 *
 * 1. If the VMM's filter denies the access → exit to the VMM with reason FILTER when the
 *    VMM enabled that reason, else #GP.
 * 2. Otherwise KVM handles the MSRs it knows (the kvmclock / PV MSRs).
 * 3. v11 only: MSR_KVM_SEV_LIVE_MIGRATION for an SEV guest that has CPUID bit 16 is
 *    reported "filtered" by KVM itself, so it too goes to the VMM (FILTER), else #GP.
 * 4. An MSR KVM does not know → exit with reason UNKNOWN if enabled, else #GP
 *    (`ignore_msrs` off, the default).
 * Upstream KVM does not know MSR_KVM_MIGRATION_CONTROL at all: without the VMM's filter
 * the guest's write takes #GP, which is why the VMM must install one.
 */
import { KvmMsrExitReason, KvmMsrFilter } from './uapi/kvm.js';
import { KvmMsr } from './uapi/kvm-para.js';

/** One range of `struct kvm_msr_filter`: `nmsrs` MSRs from `base`, bitmap bit set = allow. */
export interface MsrFilterRange {
  flags: number;
  base: number;
  nmsrs: number;
  bitmap: Uint8Array;
}

/** `struct kvm_msr_filter`. */
export interface MsrFilter {
  flags: number;
  ranges: MsrFilterRange[];
}

/** What KVM decided for an access. */
export type MsrDecision =
  | { kind: 'handled'; why: string }
  | { kind: 'exit'; reason: number; why: string }
  | { kind: 'gp'; why: string };

/** Per-VM MSR state: the filter, the user-space exit mask and the PV MSR values KVM keeps. */
export class MsrHandling {
  filter: MsrFilter | undefined;
  userSpaceMsrMask = 0;
  /** Values of the MSRs KVM handles itself. */
  readonly values = new Map<number, bigint>();

  /** True when the filter allows `dir` on `msr` (no filter: everything is allowed). */
  allowed(msr: number, dir: 'rdmsr' | 'wrmsr'): boolean {
    const f = this.filter;
    if (!f) return true;
    const flag = dir === 'rdmsr' ? KvmMsrFilter.KVM_MSR_FILTER_READ : KvmMsrFilter.KVM_MSR_FILTER_WRITE;
    for (const r of f.ranges) {
      if ((r.flags & flag) === 0 || msr < r.base || msr >= r.base + r.nmsrs) continue;
      const i = msr - r.base;
      return ((r.bitmap[i >> 3] >> (i & 7)) & 1) === 1;
    }
    return (f.flags & KvmMsrFilter.KVM_MSR_FILTER_DEFAULT_DENY) === 0;
  }

  /**
   * Decides an access. `kvmFiltered` is true when KVM itself treats `msr` as filtered
   * (v11's migration MSR, step 3 above).
   */
  decide(msr: number, dir: 'rdmsr' | 'wrmsr', kvmFiltered: boolean): MsrDecision {
    const filterExit = (why: string): MsrDecision =>
      (this.userSpaceMsrMask & KvmMsrExitReason.KVM_MSR_EXIT_REASON_FILTER) !== 0
        ? { kind: 'exit', reason: KvmMsrExitReason.KVM_MSR_EXIT_REASON_FILTER, why }
        : { kind: 'gp', why: `${why}; no user-space MSR exit for FILTER` };
    if (!this.allowed(msr, dir)) return filterExit('denied by the VMM\'s MSR filter');
    if (kvmFiltered) return filterExit('KVM reports it filtered (v11: handled by the VMM)');
    if ((Object.values(KvmMsr) as number[]).includes(msr)) return { kind: 'handled', why: 'KVM paravirtual MSR' };
    if ((this.userSpaceMsrMask & KvmMsrExitReason.KVM_MSR_EXIT_REASON_UNKNOWN) !== 0) {
      return { kind: 'exit', reason: KvmMsrExitReason.KVM_MSR_EXIT_REASON_UNKNOWN, why: 'unknown to KVM' };
    }
    return { kind: 'gp', why: 'unknown to KVM (ignore_msrs=0)' };
  }
}
