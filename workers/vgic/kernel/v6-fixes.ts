/**
 * What Eric Auger's v6 series "KVM/ARM: Some vgic fixes and init sequence KVM
 * selftests" changed (reference §8), one function per patch, each with the behaviour
 * before (profile 5.12) and after (5.13 and later) side by side. The rest of the model
 * calls these functions and nothing else branches on the series.
 */
import { VGIC_ADDR_UNDEF } from '../uapi.js';
import { fail, type KvmErr } from './result.js';
import { FIX, hasFix, type KernelProfile } from './profiles.js';
import type { RdistRegion, Vcpu, VgicDist } from './state.js';

/**
 * Patch 1, "Fix some error codes when setting RDIST base": the checks of
 * `vgic_v3_alloc_redist_region` that look at the last region of a non-empty list
 * (§3.5 rules 3–5).
 *
 * After: legacy after a counted region → EINVAL; a second legacy region → EEXIST;
 * otherwise the index must be the last one + 1 (so a counted region may follow a legacy
 * one at index 1). Before: any legacy region on a non-empty list → EINVAL, the index
 * rule, and "no counted region after a legacy one" → EINVAL.
 */
export function rdistListRules(profile: KernelProfile, last: RdistRegion, index: number, count: number): KvmErr | undefined {
  const indexRule = (): KvmErr | undefined =>
    index !== last.index + 1
      ? fail('EINVAL', 'index-not-next', `redistributor region ${index}: the next region must have index ${last.index + 1} (regions are registered in index order)`)
      : undefined;
  if (hasFix(profile, FIX.rdistBaseErrorCodes)) {
    if (count === 0 && last.count !== 0) {
      return fail('EINVAL', 'legacy-after-regions', 'the legacy REDIST address cannot be mixed with REDIST_REGION regions already registered');
    }
    if (count === 0) return fail('EEXIST', 'legacy-exists', 'the legacy redistributor region is already set');
    return indexRule();
  }
  if (count === 0) {
    return fail('EINVAL', 'legacy-on-nonempty-list', 'a legacy REDIST address can only be set while no redistributor region exists (5.12 answers EINVAL, even for a second legacy set)');
  }
  const err = indexRule();
  if (err) return err;
  if (last.count === 0) {
    return fail('EINVAL', 'region-after-legacy', `redistributor region ${index} cannot follow the legacy redistributor region (refused before the v6 series)`);
  }
  return undefined;
}

/**
 * Patch 2, "Fix KVM_VGIC_V3_ADDR_TYPE_REDIST_REGION read": the index a REDIST_REGION
 * read looks up. After: the index the caller passed in the buffer. Before: an
 * uninitialised variable — [U] lab choice: region #0 stands in for it (§11.1).
 */
export function redistRegionReadIndex(profile: KernelProfile, passedIndex: number): number {
  return hasFix(profile, FIX.redistRegionRead) ? passedIndex : 0;
}

/**
 * Patches 3 and 7, "Fix error handling in vgic_v3_set_redist_base()" with
 * `vgic_v3_free_redist_region()`: after vcpu placement failed for a new region, is the
 * region freed again (after) or left registered (before)? Returns the text appended to
 * the failure message.
 */
export function dropRegionAfterFailedPlacement(profile: KernelProfile, vgic: VgicDist, index: number): string {
  if (!hasFix(profile, FIX.setRedistBaseErrorHandling)) return ' (5.12: the region stays registered)';
  const i = vgic.regions.findIndex((r) => r.index === index);
  if (i >= 0) vgic.regions.splice(i, 1);
  return ' (the region is removed again)';
}

/**
 * Patch 4, "Reset base address on kvm_vgic_dist_destroy()": the DIST base after the
 * vGIC is torn down. After: UNDEF. Before: the stale base stays, so setting a DIST base
 * again fails with EEXIST (§6).
 */
export function distBaseAfterDestroy(profile: KernelProfile, base: bigint): bigint {
  return hasFix(profile, FIX.resetDistBaseOnDestroy) ? VGIC_ADDR_UNDEF : base;
}

/**
 * Patch 8, "Expose GICR_TYPER.Last for userspace": the Last bit a userspace read sees.
 * After: the frame-position rule of §7 (`isLastByFrame`, computed by the caller).
 * Before: the old test "vcpu id = number of vcpus − 1" (§11.1 defines the 5.12 profile
 * this way; §7 notes a 5.12 userspace accessor that hid Last — the lab follows §11.1).
 */
export function typerLast(profile: KernelProfile, vcpu: Vcpu, onlineVcpus: number, isLastByFrame: () => boolean): boolean {
  return hasFix(profile, FIX.exposeTyperLast) ? isLastByFrame() : vcpu.id === onlineVcpus - 1;
}

/**
 * "Fix KVM_VGIC_V3_ADDR_TYPE_REDIST read" (5.13, same author): what a legacy REDIST read
 * returns when no region exists. After: UNDEF. Before: garbage — [U] the lab returns 0.
 */
export function emptyRedistRead(profile: KernelProfile): bigint {
  return hasFix(profile, FIX.redistReadEmpty) ? VGIC_ADDR_UNDEF : 0n;
}
