/**
 * `struct kvm_run` as far as the lab's exits fill it: the exit reason and the union member
 * for that reason. KVM fills it, `KVM_RUN` returns to the VMM, the VMM writes its answer
 * into the same object (`hypercall.ret`, `dma_sharing.ret`, `msr.data` / `msr.error`), and
 * the next `KVM_RUN` completes the exit (complete_userspace_io).
 */
import type { Json } from '../core/events.js';
import { hex } from './uapi/u64.js';

/** `run->hypercall` (upstream KVM_EXIT_HYPERCALL). */
export interface RunHypercall {
  nr: bigint;
  args: bigint[];
  ret: bigint;
  /** 1 when the guest was in 64-bit mode (the 2021 `longmode` field). */
  longmode: number;
}

/** `run->dma_sharing` (v11 KVM_EXIT_DMA_SHARE / UNSHARE): addr is a GFN, len bytes. */
export interface RunDmaSharing {
  addr: bigint;
  len: bigint;
  ret: bigint;
}

/** `run->msr` (KVM_EXIT_X86_RDMSR / WRMSR). */
export interface RunMsr {
  error: number;
  reason: number;
  index: number;
  data: bigint;
}

/** `run->mmio`. */
export interface RunMmio {
  physAddr: number;
  data: Uint8Array;
  len: number;
  isWrite: boolean;
}

/** One exit. */
export interface KvmRun {
  exitReason: number;
  hypercall?: RunHypercall;
  dmaSharing?: RunDmaSharing;
  msr?: RunMsr;
  mmio?: RunMmio;
}

/** The union member of `run` as JSON for the `kvm.exit` event. */
export function runPayload(run: KvmRun): Record<string, Json> {
  if (run.hypercall) {
    const h = run.hypercall;
    return { nr: Number(h.nr), args: h.args.map((a) => hex(a)), longmode: h.longmode };
  }
  if (run.dmaSharing) return { addr: hex(run.dmaSharing.addr), len: hex(run.dmaSharing.len) };
  if (run.msr) return { index: hex(run.msr.index), data: hex(run.msr.data), reason: run.msr.reason };
  if (run.mmio) return { phys_addr: hex(run.mmio.physAddr), len: run.mmio.len, is_write: run.mmio.isWrite };
  return {};
}

/** The VMM's side of KVM_RUN: handles one exit by writing its answer into `run`. */
export interface UserspaceExitHandler {
  handleExit(run: KvmRun): void;
}
