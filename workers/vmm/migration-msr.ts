/**
 * The VMM's side of the migration MSR 0x4b564d08 (AMD QEMU v4 series, reference §4.8):
 * it enables `KVM_CAP_X86_USER_SPACE_MSR` with reason FILTER and installs a filter that
 * allows every MSR except 0x4b564d08 (reads and writes go to userspace). A write of the
 * ready value (`KVM_MIGRATION_READY` upstream, `KVM_SEV_LIVE_MIGRATION_ENABLED` in v11;
 * both bit 0) deletes the migration blocker. The value lives in the VMM process and is
 * not migrated [I]. A read returns the last value written (0 at start, §1.3: "reads 0 for
 * an encrypted guest").
 *
 * [I] from the series: only a write of exactly the ready value deletes the blocker; a
 * later 0 (upstream guests write it when a CPU goes offline or at kexec) does not re-add
 * it.
 */
import type { MsrFilter } from '../kvm/msr.js';
import { KvmMsrFilter } from '../kvm/uapi/kvm.js';
import type { SevMigrationAbi } from '../kvm/uapi/abi.js';

/** The filter QEMU installs: default allow, deny read+write of the migration MSR. */
export function migrationMsrFilter(abi: SevMigrationAbi): MsrFilter {
  return {
    flags: KvmMsrFilter.KVM_MSR_FILTER_DEFAULT_ALLOW,
    ranges: [{ flags: KvmMsrFilter.KVM_MSR_FILTER_READ | KvmMsrFilter.KVM_MSR_FILTER_WRITE, base: abi.msr.index, nmsrs: 1, bitmap: new Uint8Array([0]) }],
  };
}

/** The MSR's value as the VMM keeps it. */
export class MigrationMsr {
  value = 0n;

  constructor(readonly abi: SevMigrationAbi) {}

  /** A guest write; returns true when it was the ready value (the blocker goes). */
  write(value: bigint): boolean {
    this.value = value;
    return value === this.abi.msr.enableBit;
  }

  /** True once the guest said it keeps the shared-page view correct. */
  get ready(): boolean {
    return this.value === this.abi.msr.enableBit;
  }
}
