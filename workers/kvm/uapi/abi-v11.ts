/**
 * The v11 series ABI ("[PATCH v11 00/13] Add AMD SEV guest live migration support",
 * 2021-04-05; never merged): reference sev-migration-flow.md §1.1–§1.4, §2.
 *
 * - Hypercall 12 `KVM_HC_PAGE_ENC_STATUS(gpa, npages, enc)`: a2 = 1 encrypted, 0 shared.
 * - KVM turns it into `KVM_EXIT_DMA_SHARE` (35, enc = 0) or `KVM_EXIT_DMA_UNSHARE` (36,
 *   enc = 1) with `dma_sharing {addr, len, ret}` where **addr is the GFN** (despite its
 *   name) and **len is bytes** (§1.4, §7 pitfall 4).
 * - CPUID 0x40000001 EAX bit 16 `KVM_FEATURE_SEV_LIVE_MIGRATION` (advertised by KVM itself).
 * - MSR 0x4b564d08 `MSR_KVM_SEV_LIVE_MIGRATION`, bit 0 `KVM_SEV_LIVE_MIGRATION_ENABLED`:
 *   "the guest keeps the host's shared-page view correct"; KVM reports it filtered so the
 *   VMM handles it (§2.4).
 */
import { hex } from './u64.js';
import { PAGE_SIZE } from './kvm-para.js';
import type { SevMigrationAbi } from './abi.js';

/** v11 hypercall number (same number as upstream's MAP_GPA_RANGE, different meaning). */
export const KVM_HC_PAGE_ENC_STATUS = 12;
/** v10–v11 CPUID bit (upstream reuses bit 16 for HC_MAP_GPA_RANGE). */
export const KVM_FEATURE_SEV_LIVE_MIGRATION = 16;
/** v10–v11 MSR (upstream reuses the index for MIGRATION_CONTROL). */
export const MSR_KVM_SEV_LIVE_MIGRATION = 0x4b564d08;
/** Bit 0 of {@link MSR_KVM_SEV_LIVE_MIGRATION}. */
export const KVM_SEV_LIVE_MIGRATION_ENABLED = 1n;
/** v11-only exit: the guest shared a range (enc = 0). */
export const KVM_EXIT_DMA_SHARE = 35;
/** v11-only exit: the guest made a range private again (enc = 1). */
export const KVM_EXIT_DMA_UNSHARE = 36;

/** The v11 ABI. */
export const abiV11: SevMigrationAbi = {
  id: 'v11',
  title: 'v11 series (AMD, 2021-04, never merged): KVM_HC_PAGE_ENC_STATUS + KVM_EXIT_DMA_SHARE/UNSHARE',
  hypercall: { nr: KVM_HC_PAGE_ENC_STATUS, name: 'KVM_HC_PAGE_ENC_STATUS' },
  vmmFeatureBits: [{ bit: KVM_FEATURE_SEV_LIVE_MIGRATION, name: 'KVM_FEATURE_SEV_LIVE_MIGRATION' }],
  guestGateBit: { bit: KVM_FEATURE_SEV_LIVE_MIGRATION, name: 'KVM_FEATURE_SEV_LIVE_MIGRATION' },
  // [U] lab choice: the OVMF paired with a v11 kernel tests bit 16, the bit v11 defines
  // (edk2 master tests 17, the upstream bit; an older AMD branch tested 14, §3.6).
  ovmfGateBit: { bit: KVM_FEATURE_SEV_LIVE_MIGRATION, name: 'KVM_FEATURE_SEV_LIVE_MIGRATION' },
  msr: {
    index: MSR_KVM_SEV_LIVE_MIGRATION,
    name: 'MSR_KVM_SEV_LIVE_MIGRATION',
    enableBit: KVM_SEV_LIVE_MIGRATION_ENABLED,
    enableName: 'KVM_SEV_LIVE_MIGRATION_ENABLED',
  },
  encodeRange(gpa, npages, encrypted) {
    return [gpa, npages, encrypted ? 1n : 0n];
  },
  decodeRange(a0, a1, a2) {
    // v11 has no attribute word: any non-zero enc means "encrypted" (KVM picks UNSHARE).
    return { gpa: a0, npages: a1, encrypted: a2 !== 0n, reservedBits: 0n };
  },
  describeArgs(a0, a1, a2) {
    return { gpa: hex(a0), npages: hex(a1), enc: hex(a2) };
  },
  featureName(bit) {
    return bit === KVM_FEATURE_SEV_LIVE_MIGRATION ? 'KVM_FEATURE_SEV_LIVE_MIGRATION' : undefined;
  },
};

/** The `dma_sharing` payload KVM fills for a v11 exit: GFN in addr, bytes in len (§1.4). */
export function dmaSharingPayload(gpa: bigint, npages: bigint): { addr: bigint; len: bigint } {
  return { addr: gpa >> 12n, len: npages * BigInt(PAGE_SIZE) };
}
