/**
 * Constants the layout editor needs to draw to scale (reference §1, §10), as plain
 * numbers (all exact in a double).
 */
import { HOST, KVM_MAX_VCPUS } from '../uapi.js';
import { FIX, KERNEL_PROFILES, type KernelFix, type KernelProfile } from '../kernel/profiles.js';

/** Frame sizes, alignment and limits. */
export const VGIC_GEOMETRY = {
  /** The distributor frame (KVM_VGIC_V3_DIST_SIZE). */
  distSize: 0x10000,
  /** One redistributor: RD_base page + SGI_base page (KVM_VGIC_V3_REDIST_SIZE). */
  redistFrameSize: 0x20000,
  /** Each of the two 64 KiB pages of a redistributor; SGI_base is at +0x10000. */
  redistPageSize: 0x10000,
  /** The ITS frame (KVM_VGIC_V3_ITS_SIZE). */
  itsSize: 0x20000,
  /** Alignment of every GICv3 base. */
  baseAlign: 0x10000,
  /** IPA size of a VM created with type 0. */
  defaultIpaBits: HOST.defaultIpaBits,
  /** The lab host's KVM_CAP_ARM_VM_IPA_SIZE. */
  hostIpaLimitBits: HOST.kvmIpaLimit,
  minIpaBits: HOST.minIpaBits,
  maxVcpus: KVM_MAX_VCPUS,
  /** REDIST_REGION count field: 12 bits. */
  maxRegionCount: 0xfff,
  /** The kernel keeps a region index in 8 bits. */
  maxRegionIndex: 0xff,
  /** A REDIST_REGION base must be below 2^52. */
  regionBaseLimitBits: 52,
  /** What an unset address reads back as. */
  addrUndef: '0xffffffffffffffff',
} as const;

/** The IPA size in bytes for `bits` (2^bits, exact up to 2^53). */
export function ipaSizeBytes(bits: number): number {
  return 2 ** bits;
}

/** One modelled kernel change and the profiles that have it. */
export interface KernelFixInfo {
  id: string;
  commit: string;
  title: string;
  since: KernelProfile;
  profiles: KernelProfile[];
}

/** The kernel changes the profiles differ by, for a profile picker's explanations. */
export function kernelFixes(): KernelFixInfo[] {
  return (Object.entries(FIX) as [string, KernelFix][]).map(([id, f]) => ({
    id,
    commit: f.commit,
    title: f.title,
    since: f.since,
    profiles: KERNEL_PROFILES.filter((p) => KERNEL_PROFILES.indexOf(p) >= KERNEL_PROFILES.indexOf(f.since)),
  }));
}
