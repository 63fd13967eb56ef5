/**
 * The contract both SEV live-migration ABIs fulfil, so the guest, OVMF, KVM and the VMM
 * can be written once and told which ABI a scenario runs. Each ABI lives in its own file
 * (`abi-v11.ts`, `abi-upstream.ts`) because the *same numbers* mean different things in
 * the two (reference sev-migration-flow.md §7 pitfall 1):
 *
 * | number      | v11 series                          | upstream Linux                        |
 * |-------------|-------------------------------------|---------------------------------------|
 * | hypercall 12| KVM_HC_PAGE_ENC_STATUS, a2 = enc 0/1| KVM_HC_MAP_GPA_RANGE, a2 = attrs (bit 4 = encrypted) |
 * | CPUID bit 16| KVM_FEATURE_SEV_LIVE_MIGRATION (gate)| KVM_FEATURE_HC_MAP_GPA_RANGE           |
 * | CPUID bit 17| —                                   | KVM_FEATURE_MIGRATION_CONTROL (gate)  |
 * | MSR 0x4b564d08 | MSR_KVM_SEV_LIVE_MIGRATION, bit 0 ENABLED | MSR_KVM_MIGRATION_CONTROL, bit 0 READY |
 */
import type { Json } from '../../core/events.js';

/** Which ABI a scenario runs. */
export type AbiId = 'v11' | 'upstream';

/** A named CPUID feature bit of leaf 0x40000001 EAX. */
export interface FeatureBit {
  readonly bit: number;
  readonly name: string;
}

/** The decoded arguments of a hypercall-12 call. */
export interface RangeArgs {
  readonly gpa: bigint;
  readonly npages: bigint;
  /** True: the range becomes private (C-bit set); false: shared. */
  readonly encrypted: boolean;
  /** Bits the ABI reserves that are set (0n when none); v11 has none. */
  readonly reservedBits: bigint;
}

/** One ABI's numbers and argument encoding. */
export interface SevMigrationAbi {
  readonly id: AbiId;
  /** One line for docs and the boot log: which series this is. */
  readonly title: string;
  /** Hypercall 12 under this ABI's name. */
  readonly hypercall: { readonly nr: number; readonly name: string };
  /** CPUID bits the VMM sets in leaf 0x40000001 EAX for an SEV guest (§1.2). */
  readonly vmmFeatureBits: readonly FeatureBit[];
  /** The bit the guest kernel tests before it uses the hypercall and the MSR. */
  readonly guestGateBit: FeatureBit;
  /** The bit OVMF tests (edk2 `KvmDetectSevLiveMigrationFeature`). */
  readonly ovmfGateBit: FeatureBit;
  /** MSR 0x4b564d08 under this ABI's name, and its bit 0. */
  readonly msr: { readonly index: number; readonly name: string; readonly enableBit: bigint; readonly enableName: string };
  /** Registers a0..a2 for "the range [gpa, gpa + npages pages) is now encrypted / shared". */
  encodeRange(gpa: bigint, npages: bigint, encrypted: boolean): [bigint, bigint, bigint];
  /** Decodes a0..a2 the way this ABI's VMM handler reads them. */
  decodeRange(a0: bigint, a1: bigint, a2: bigint): RangeArgs;
  /** The hypercall's arguments named as this ABI names them, for event payloads. */
  describeArgs(a0: bigint, a1: bigint, a2: bigint): Record<string, Json>;
  /** The name of a leaf-0x40000001 EAX bit under this ABI (bits 16/17 differ). */
  featureName(bit: number): string | undefined;
}
