/**
 * The VMM's handling of the v11 exits `KVM_EXIT_DMA_SHARE` (35) and `KVM_EXIT_DMA_UNSHARE`
 * (36) (reference sev-migration-flow.md §1.4, §6.1 step 4): `dma_sharing.addr` is the
 * GFN, `dma_sharing.len` is bytes; SHARE adds `[addr, addr + len / 4096)` to the
 * shared-regions list, UNSHARE removes it; `ret` = 0.
 *
 * [U] the v11-era QEMU handler is not in the reference (§8): the lab assumes it mirrors the
 * v4 hypercall handler (enc = 1 remove, enc = 0 add).
 */
import { KVM_EXIT_DMA_SHARE } from '../kvm/uapi/abi-v11.js';
import { PAGE_SHIFT } from '../kvm/uapi/kvm-para.js';
import type { KvmRun } from '../kvm/run.js';
import type { SharedRegionsUpdate } from './exit-upstream.js';

/** Handles one DMA_SHARE / DMA_UNSHARE exit. */
export function handleDmaSharingExit(run: KvmRun, update: SharedRegionsUpdate): void {
  const d = run.dmaSharing;
  if (!d) return;
  const gfn = d.addr;
  const npages = d.len >> BigInt(PAGE_SHIFT);
  d.ret = update(run.exitReason === KVM_EXIT_DMA_SHARE ? 'add' : 'remove', gfn, npages);
}
