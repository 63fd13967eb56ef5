/**
 * The upstream guest (Linux ≥ 5.16; reference sev-migration-flow.md §3.3; arch/x86/kernel/kvm.c):
 *
 * `kvm_init_platform()`, if memory encryption is active **and** CPUID bit 17
 * (KVM_FEATURE_MIGRATION_CONTROL) — the guest tests 17 only:
 * 1. install `kvm_sev_hc_page_enc_status` as `notify_page_enc_status_changed`;
 * 2. announce every E820 RAM range as encrypted (kexec hygiene);
 * 3. announce `__bss_decrypted` as decrypted;
 * 4. if not EFI-booted, write KVM_MIGRATION_READY to MSR_KVM_MIGRATION_CONTROL.
 * `late_initcall(setup_efi_kvm_sev_migration)`: EFI boot with runtime services → read
 * `SevLiveMigrationEnabled`; present and true → write READY. CPU offline / reboot /
 * kexec write 0.
 */
import type { BootStep } from './steps.js';
import { kvmParaHasFeature, wrmsrl, type SevMigrationEnv } from './sev-migration-env.js';
import { readMigrationVariable } from './efi-variable.js';

/** The upstream guest's migration state. */
export class SevMigrationUpstream {
  /** The notify hook is installed. */
  hooked = false;

  constructor(private readonly env: SevMigrationEnv) {}

  /** The SEV part of `kvm_init_platform()`. */
  initPlatform(): BootStep[] {
    const env = this.env;
    if (!env.sevActive || !kvmParaHasFeature(env, env.abi.guestGateBit.bit)) return [];
    this.hooked = true;
    env.mem.notifyEnabled = true;
    const steps: BootStep[] = env.e820.filter((e) => e.type === 'usable').map((e) => () => void env.mem.hypercall(e.addr, Math.ceil(e.size / 4096), true));
    const l = env.layout;
    steps.push(() => void env.mem.hypercall(l.bssDecrypted, l.bssDecryptedSize / 4096, false));
    if (!env.efiBoot && env.writesMsr) steps.push(() => wrmsrl(env, env.abi.msr.index, env.abi.msr.enableBit));
    return steps;
  }

  /** `setup_efi_kvm_sev_migration()` (late_initcall). */
  lateInit(): BootStep[] {
    const env = this.env;
    if (!this.hooked || !env.efiBoot || !env.writesMsr) return [];
    return [
      () => {
        if (readMigrationVariable(env, 'setup_efi_kvm_sev_migration')) wrmsrl(env, env.abi.msr.index, env.abi.msr.enableBit);
      },
    ];
  }

  /** `kvm_guest_cpu_offline()` on the way into kexec: MSR_KVM_MIGRATION_CONTROL = 0. The new kernel resets E820 RAM itself. */
  kexecReset(): BootStep[] {
    const env = this.env;
    if (!this.hooked || !env.writesMsr) return [];
    return [() => wrmsrl(env, env.abi.msr.index, 0n)];
  }

  /** The hook is live once installed. */
  get notify(): boolean {
    return this.hooked;
  }
}
