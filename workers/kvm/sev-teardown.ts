/**
 * KVM's SEV teardown when a VM goes away (Linux arch/x86/kvm/svm/sev.c `sev_vm_destroy`,
 * `sev_unbind_asid`, `sev_asid_free`; psp-sev-api.md §12 "Teardown is DEACTIVATE then
 * DECOMMISSION", §13 ASID hygiene, §3 DECOMMISSION → slot freed).
 *
 * The last close of the VM's file descriptor (the VMM process exiting, for one) ends in
 * `kvm_destroy_vm`, and for an SEV VM in:
 *
 * 1. WBINVD on every CPU, so no cache line tagged with the guest's ASID outlives it;
 * 2. `sev_unbind_asid(handle)`: nothing when the VM never got a firmware context (handle 0:
 *    KVM_SEV_INIT done, no LAUNCH_START / RECEIVE_START yet); else DEACTIVATE (the firmware
 *    unbinds the ASID: dirty if the guest ran on it, clean if its ACTIVATE was still
 *    pending, §13) and DECOMMISSION (the slot is freed; the last guest takes the platform
 *    back to INIT, §2). The kernel ignores both statuses — there is nobody left to tell;
 * 3. `sev_asid_free`: the ASID goes to the reclaim bitmap; no VM gets it again until
 *    KVM's recycling runs WBINVD + DF_FLUSH (sev-context.ts {@link AsidPool}).
 */
import type { SevOpContext } from './sev-context.js';

/** What `sev_vm_destroy` did. */
export interface SevVmDestroyResult {
  /** False when the VM was not an SEV guest (nothing to do). */
  sev: boolean;
  asid: number;
  handle: number;
}

/** `sev_vm_destroy`: tears down the VM's SEV context; the PSP commands go to `ctx.dev`'s trace. */
export function sevVmDestroy(ctx: Pick<SevOpContext, 'sev' | 'dev' | 'asids'>, wbinvd: () => void): SevVmDestroyResult {
  const { sev } = ctx;
  if (!sev.active) return { sev: false, asid: 0, handle: 0 };
  const { asid, handle } = sev;
  wbinvd();
  if (handle !== 0) {
    ctx.dev.call('DEACTIVATE', { handle });
    ctx.dev.call('DECOMMISSION', { handle });
  }
  ctx.asids.free(asid);
  sev.active = false;
  sev.asid = 0;
  sev.handle = 0;
  sev.policy = 0;
  return { sev: true, asid, handle };
}
