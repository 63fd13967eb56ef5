/**
 * What the ABI-specific guest code (sev-migration-v11.ts, sev-migration-upstream.ts)
 * reaches in the kernel: CPUID, WRMSR, the hypercall helper, the EFI runtime's
 * GetVariable, the console, and the facts of this boot.
 */
import type { SevMigrationAbi } from '../kvm/uapi/abi.js';
import type { Vcpu } from '../kvm/vcpu.js';
import type { E820Entry } from '../ovmf/e820.js';
import type { GetVariableResult } from '../ovmf/varstore.js';
import type { KernelLayout } from './kernel-layout.js';
import type { SetMemory } from './set-memory.js';

/** The kernel services the migration code uses. */
export interface SevMigrationEnv {
  readonly abi: SevMigrationAbi;
  readonly vcpu: Vcpu;
  readonly mem: SetMemory;
  readonly layout: KernelLayout;
  readonly e820: readonly E820Entry[];
  /** `efi_enabled(EFI_BOOT)`. */
  readonly efiBoot: boolean;
  /** `efi.get_variable` (undefined: no EFI runtime services). */
  readonly getVariable: ((name: string, guid: string, size: number) => GetVariableResult) | undefined;
  /** Lab switch: false models a kernel that never writes the migration MSR. */
  readonly writesMsr: boolean;
  /** `sev_active()`. */
  readonly sevActive: boolean;
  printk(text: string): void;
}

/** `wrmsrl(msr, value)` with the kernel's report of a faulting write (unchecked MSR access). */
export function wrmsrl(env: SevMigrationEnv, msr: number, value: bigint): void {
  const r = env.vcpu.wrmsr(msr, value, 'guest');
  if (r.gp) {
    env.printk(`unchecked MSR access error: WRMSR to 0x${msr.toString(16)} (tried to write 0x${value.toString(16).padStart(16, '0')}) at rIP: 0xffffffff81079a34 (native_write_msr+0x4/0x20)`);
  }
}

/** True when leaf 0x40000001 EAX has `bit` (`kvm_para_has_feature`). */
export function kvmParaHasFeature(env: SevMigrationEnv, bit: number): boolean {
  return ((env.vcpu.cpuid(0x40000001, 0, 'guest').eax >>> bit) & 1) === 1;
}
