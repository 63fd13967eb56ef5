/**
 * The three kernel behaviours a run can select (reference §8, §9.1, §11.1):
 *
 * - `5.12`: just before Eric Auger's v6 series "KVM/ARM: Some vgic fixes and init
 *   sequence KVM selftests" — every change of §8 undone;
 * - `5.13` (default): right after the series;
 * - `5.16`: 5.13 plus Ricardo Koller's IPA-range checks (§9.1).
 *
 * What each fix changes lives in one place: `v6-fixes.ts` (the series) and
 * `ipa-range.ts` (the 5.16 checks). Other files ask {@link hasFix}.
 */

/** A selectable kernel behaviour. */
export type KernelProfile = '5.12' | '5.13' | '5.16';

/** Every profile, oldest first. */
export const KERNEL_PROFILES: readonly KernelProfile[] = ['5.12', '5.13', '5.16'];

/** The profile scripts get when they name none. */
export const DEFAULT_PROFILE: KernelProfile = '5.13';

/** True for a string naming a profile. */
export function isKernelProfile(v: unknown): v is KernelProfile {
  return typeof v === 'string' && (KERNEL_PROFILES as readonly string[]).includes(v);
}

/** A kernel change the lab models, with the profile it first appears in. */
export interface KernelFix {
  /** The upstream commit (12 hex digits) or series. */
  commit: string;
  title: string;
  since: KernelProfile;
}

/** The modelled kernel changes, named after their patches. */
export const FIX = {
  /** v6 patch 1 (§8.1): second legacy REDIST → EEXIST; counted region after legacy allowed. */
  rdistBaseErrorCodes: {
    commit: 'd9b201e99c61',
    title: 'KVM: arm64: vgic-v3: Fix some error codes when setting RDIST base',
    since: '5.13',
  },
  /** v6 patch 2 (§8.2): a REDIST_REGION read looks up the index the caller passed. */
  redistRegionRead: {
    commit: '53b16dd6ba5c',
    title: 'KVM: arm/arm64: vgic: Fix KVM_VGIC_V3_ADDR_TYPE_REDIST_REGION read',
    since: '5.13',
  },
  /** v6 patches 3 and 7 (§8.3, §8.7): a region whose vcpu placement fails is freed again. */
  setRedistBaseErrorHandling: {
    commit: '8542a8f95a67',
    title: 'KVM: arm64: vgic-v3: Fix error handling in vgic_v3_set_redist_base()',
    since: '5.13',
  },
  /** v6 patch 4 (§8.4): the DIST base returns to UNDEF when the vGIC is torn down. */
  resetDistBaseOnDestroy: {
    commit: '3a5211612764',
    title: 'KVM: arm/arm64: vgic: Reset base address on kvm_vgic_dist_destroy()',
    since: '5.13',
  },
  /** v6 patch 8 (§8.8, §7): userspace reads GICR_TYPER.Last by frame position. */
  exposeTyperLast: {
    commit: '28e9d4bce3be',
    title: 'KVM: arm64: vgic-v3: Expose GICR_TYPER.Last for userspace',
    since: '5.13',
  },
  /** Same author, 5.13 (§8 end): an empty legacy REDIST read returns UNDEF. */
  redistReadEmpty: {
    commit: '(5.13)',
    title: 'KVM: arm64: vgic-v3: Fix KVM_VGIC_V3_ADDR_TYPE_REDIST read',
    since: '5.13',
  },
  /** Ricardo Koller's series (§9.1): base + size checked against the IPA size. */
  ipaRangeChecks: {
    commit: '(5.16 series)',
    title: 'KVM: arm64: vgic-v3: Check redist region is not above the VM IPA size',
    since: '5.16',
  },
} as const satisfies Record<string, KernelFix>;

/** True when `profile` contains `fix`. */
export function hasFix(profile: KernelProfile, fix: KernelFix): boolean {
  return KERNEL_PROFILES.indexOf(profile) >= KERNEL_PROFILES.indexOf(fix.since);
}
