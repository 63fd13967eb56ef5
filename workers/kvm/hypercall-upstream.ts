/**
 * KVM's handling of hypercall 12 under the upstream ABI, `KVM_HC_MAP_GPA_RANGE`
 * (reference sev-migration-flow.md §3.2, commit 0dbb11230437), in its order of checks:
 *
 * 1. Bit 12 not in the VM's KVM_CAP_EXIT_HYPERCALL mask → RAX = -KVM_ENOSYS.
 * 2. GPA not page aligned, npages = 0, or the range wraps → RAX = -KVM_EINVAL.
 * 3. Otherwise exit `KVM_EXIT_HYPERCALL` {nr 12, args gpa/npages/attrs, longmode}.
 * 4. On re-entry `hypercall.ret` goes to RAX (truncated to 32 bits outside long mode).
 *
 * KVM does not look at the attribute bits (reserved bits included): that is the VMM's job.
 * It zeroes `hypercall.ret` before exiting (later kernels do so explicitly, §3.2.5).
 */
import { KvmExitReason } from './uapi/kvm.js';
import { KvmHcErrno, PAGE_SIZE } from './uapi/kvm-para.js';
import { KVM_HC_MAP_GPA_RANGE } from './uapi/abi-upstream.js';
import { negErrno, u64 } from './uapi/u64.js';
import type { HypercallOutcome, HypercallVmView } from './hypercall-v11.js';

/** Upstream `case KVM_HC_MAP_GPA_RANGE` of `kvm_emulate_hypercall`. */
export function mapGpaRangeHc(vm: HypercallVmView, gpa: bigint, npages: bigint, attrs: bigint): HypercallOutcome {
  if ((vm.exitHypercallMask & (1n << BigInt(KVM_HC_MAP_GPA_RANGE))) === 0n) {
    return { kind: 'ret', ret: negErrno(KvmHcErrno.KVM_ENOSYS), why: 'KVM_CAP_EXIT_HYPERCALL does not include bit 12' };
  }
  const gfn = gpa >> 12n;
  if (gpa % BigInt(PAGE_SIZE) !== 0n) return { kind: 'ret', ret: negErrno(KvmHcErrno.KVM_EINVAL), why: 'gpa is not page aligned' };
  if (npages === 0n) return { kind: 'ret', ret: negErrno(KvmHcErrno.KVM_EINVAL), why: 'npages is 0' };
  if (u64(gfn + npages) <= gfn) return { kind: 'ret', ret: negErrno(KvmHcErrno.KVM_EINVAL), why: 'the range wraps' };
  return {
    kind: 'exit',
    run: { exitReason: KvmExitReason.KVM_EXIT_HYPERCALL, hypercall: { nr: BigInt(KVM_HC_MAP_GPA_RANGE), args: [gpa, npages, attrs, 0n, 0n, 0n], ret: 0n, longmode: 1 } },
    why: 'exit to the VMM (KVM keeps no record of the range)',
    complete: (run) => u64(run.hypercall?.ret ?? 0n),
  };
}
