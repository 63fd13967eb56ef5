/**
 * KVM's handling of hypercall 12 under the v11 ABI, `KVM_HC_PAGE_ENC_STATUS`
 * (reference sev-migration-flow.md §2.4, V11-08):
 *
 * 1. `kvm_emulate_hypercall` case 12 → the SVM op `page_enc_status_hc`.
 * 2. Checks: an SEV guest; `npages != 0`; the range does not wrap; both ends in a memslot
 *    or a no-slot (MMIO) GFN. There is no alignment check: the GPA is simply shifted to a
 *    GFN [I, §2.4 lists none].
 * 3. Exit `KVM_EXIT_DMA_UNSHARE` (enc = 1) or `KVM_EXIT_DMA_SHARE` (enc = 0) with
 *    `dma_sharing {addr = GFN, len = bytes}`; KVM keeps no record.
 * 4. On re-entry `dma_sharing.ret` goes to RAX.
 *
 * [U] lab choice: every failed check returns -KVM_EINVAL (the series' own error value is
 * not in the reference; -EINVAL and -KVM_EINVAL are the same number, 22).
 */
import { KvmHcErrno } from './uapi/kvm-para.js';
import { KVM_EXIT_DMA_SHARE, KVM_EXIT_DMA_UNSHARE, dmaSharingPayload } from './uapi/abi-v11.js';
import { negErrno, u64 } from './uapi/u64.js';
import type { KvmRun } from './run.js';

/** What KVM does with a hypercall: return at once, or exit to the VMM. */
export type HypercallOutcome =
  | { kind: 'ret'; ret: bigint; why: string }
  | { kind: 'exit'; run: KvmRun; why: string; complete(run: KvmRun): bigint };

/** The VM facts the handler checks. */
export interface HypercallVmView {
  readonly sevActive: boolean;
  /** Bits of KVM_CAP_EXIT_HYPERCALL the VMM enabled (upstream only). */
  readonly exitHypercallMask: bigint;
}

/** v11 `svm_page_enc_status_hc(gpa, npages, enc)`. */
export function pageEncStatusHc(vm: HypercallVmView, gpa: bigint, npages: bigint, enc: bigint): HypercallOutcome {
  const einval = (why: string): HypercallOutcome => ({ kind: 'ret', ret: negErrno(KvmHcErrno.KVM_EINVAL), why });
  if (!vm.sevActive) return einval('not an SEV guest');
  if (npages === 0n) return einval('npages is 0');
  const gfn = gpa >> 12n;
  if (u64(gfn + npages) <= gfn) return einval('the range wraps');
  const { addr, len } = dmaSharingPayload(gpa, npages);
  const exitReason = enc !== 0n ? KVM_EXIT_DMA_UNSHARE : KVM_EXIT_DMA_SHARE;
  return {
    kind: 'exit',
    run: { exitReason, dmaSharing: { addr, len, ret: 0n } },
    why: enc !== 0n ? 'enc=1: the range is private again → KVM_EXIT_DMA_UNSHARE' : 'enc=0: the range is shared → KVM_EXIT_DMA_SHARE',
    complete: (run) => u64(run.dmaSharing?.ret ?? 0n),
  };
}
