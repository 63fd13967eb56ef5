/**
 * The upstream Linux ABI (KVM 5.14 commit 0dbb11230437, guest side 5.16): reference
 * sev-migration-flow.md §1.1–§1.4, §3.
 *
 * - Hypercall 12 `KVM_HC_MAP_GPA_RANGE(gpa, npages, attrs)`: attrs bits 3:0 page-size
 *   hint (0 = 4K, 1 = 2M, 2 = 1G), bit 4 = 1 encrypted / 0 plaintext, bits 63:5 must be 0.
 *   Guests always send the 4K hint.
 * - Exits as `KVM_EXIT_HYPERCALL` (3) only if the VMM enabled `KVM_CAP_EXIT_HYPERCALL`
 *   (201) with bit 12 in the mask; else RAX = -KVM_ENOSYS.
 * - CPUID 0x40000001 EAX bit 16 `KVM_FEATURE_HC_MAP_GPA_RANGE`, bit 17
 *   `KVM_FEATURE_MIGRATION_CONTROL`; set by the VMM, never by KVM. The guest tests 17 only.
 * - MSR 0x4b564d08 `MSR_KVM_MIGRATION_CONTROL`, bit 0 `KVM_MIGRATION_READY`; the VMM
 *   must install an MSR filter to see writes.
 */
import { hex } from './u64.js';
import type { SevMigrationAbi } from './abi.js';

/** Upstream hypercall number (same number as v11's PAGE_ENC_STATUS, different meaning). */
export const KVM_HC_MAP_GPA_RANGE = 12;
/** attrs: page-size hint 4 KiB. */
export const KVM_MAP_GPA_RANGE_PAGE_SZ_4K = 0n;
/** attrs: page-size hint 2 MiB. */
export const KVM_MAP_GPA_RANGE_PAGE_SZ_2M = 1n;
/** attrs: page-size hint 1 GiB. */
export const KVM_MAP_GPA_RANGE_PAGE_SZ_1G = 2n;
/** attrs: the page-size field, bits 3:0. */
export const KVM_MAP_GPA_RANGE_PAGE_SZ_MASK = 0xfn;
/** attrs bit 4: the range is encrypted. */
export const KVM_MAP_GPA_RANGE_ENCRYPTED = 0x10n;
/** attrs: the range is plaintext (bit 4 clear). */
export const KVM_MAP_GPA_RANGE_DECRYPTED = 0n;
/** attrs bits 63:5, reserved (must be zero, hypercalls.rst). */
export const KVM_MAP_GPA_RANGE_RESERVED = ~(KVM_MAP_GPA_RANGE_ENCRYPTED | KVM_MAP_GPA_RANGE_PAGE_SZ_MASK) & ((1n << 64n) - 1n);
/** Upstream CPUID bit 16 (v11's SEV_LIVE_MIGRATION bit, reused). */
export const KVM_FEATURE_HC_MAP_GPA_RANGE = 16;
/** Upstream CPUID bit 17. */
export const KVM_FEATURE_MIGRATION_CONTROL = 17;
/** Upstream MSR (v11's SEV_LIVE_MIGRATION index, reused). */
export const MSR_KVM_MIGRATION_CONTROL = 0x4b564d08;
/** Bit 0 of {@link MSR_KVM_MIGRATION_CONTROL}. */
export const KVM_MIGRATION_READY = 1n;

/** The upstream ABI. */
export const abiUpstream: SevMigrationAbi = {
  id: 'upstream',
  title: 'upstream Linux (5.14/5.16): KVM_HC_MAP_GPA_RANGE + KVM_EXIT_HYPERCALL, MSR_KVM_MIGRATION_CONTROL',
  hypercall: { nr: KVM_HC_MAP_GPA_RANGE, name: 'KVM_HC_MAP_GPA_RANGE' },
  vmmFeatureBits: [
    { bit: KVM_FEATURE_HC_MAP_GPA_RANGE, name: 'KVM_FEATURE_HC_MAP_GPA_RANGE' },
    { bit: KVM_FEATURE_MIGRATION_CONTROL, name: 'KVM_FEATURE_MIGRATION_CONTROL' },
  ],
  guestGateBit: { bit: KVM_FEATURE_MIGRATION_CONTROL, name: 'KVM_FEATURE_MIGRATION_CONTROL' },
  ovmfGateBit: { bit: KVM_FEATURE_MIGRATION_CONTROL, name: 'KVM_FEATURE_MIGRATION_CONTROL' },
  msr: { index: MSR_KVM_MIGRATION_CONTROL, name: 'MSR_KVM_MIGRATION_CONTROL', enableBit: KVM_MIGRATION_READY, enableName: 'KVM_MIGRATION_READY' },
  encodeRange(gpa, npages, encrypted) {
    return [gpa, npages, (encrypted ? KVM_MAP_GPA_RANGE_ENCRYPTED : KVM_MAP_GPA_RANGE_DECRYPTED) | KVM_MAP_GPA_RANGE_PAGE_SZ_4K];
  },
  decodeRange(a0, a1, a2) {
    return { gpa: a0, npages: a1, encrypted: (a2 & KVM_MAP_GPA_RANGE_ENCRYPTED) !== 0n, reservedBits: a2 & KVM_MAP_GPA_RANGE_RESERVED };
  },
  describeArgs(a0, a1, a2) {
    const size = a2 & KVM_MAP_GPA_RANGE_PAGE_SZ_MASK;
    return {
      gpa: hex(a0),
      npages: hex(a1),
      attrs: hex(a2),
      enc: (a2 & KVM_MAP_GPA_RANGE_ENCRYPTED) !== 0n ? 'ENCRYPTED' : 'DECRYPTED',
      pageSize: size === 0n ? '4K' : size === 1n ? '2M' : size === 2n ? '1G' : `reserved(${size})`,
    };
  },
  featureName(bit) {
    if (bit === KVM_FEATURE_HC_MAP_GPA_RANGE) return 'KVM_FEATURE_HC_MAP_GPA_RANGE';
    if (bit === KVM_FEATURE_MIGRATION_CONTROL) return 'KVM_FEATURE_MIGRATION_CONTROL';
    return undefined;
  },
};
