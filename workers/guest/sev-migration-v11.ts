/**
 * The v11 guest (reference sev-migration-flow.md §2.5, §2.6; V11-12, V11-13):
 *
 * - `check_kvm_sev_migration()` from `kvm_init_platform()`: SEV active and CPUID bit 16
 *   (KVM_FEATURE_SEV_LIVE_MIGRATION) → set `sev_live_migration_enabled`, announce the
 *   whole `__bss_decrypted` section as shared, and if not EFI-booted write
 *   MSR_KVM_SEV_LIVE_MIGRATION = 1 at once;
 * - `late_initcall(setup_kvm_sev_migration)`: flag set and EFI runtime services up → read
 *   `SevLiveMigrationEnabled`; only if found and non-zero write the MSR. Hypercalls go on
 *   regardless;
 * - kexec (`kvm_pv_guest_cpu_reboot`, CPU 0): hypercall enc = 1 for every E820 RAM entry.
 */
import type { BootStep } from './steps.js';
import { kvmParaHasFeature, wrmsrl, type SevMigrationEnv } from './sev-migration-env.js';
import { readMigrationVariable } from './efi-variable.js';

/** The v11 guest's migration state. */
export class SevMigrationV11 {
  /** `sev_live_migration_enabled`. */
  enabled = false;

  constructor(private readonly env: SevMigrationEnv) {}

  /** `check_kvm_sev_migration()`. */
  initPlatform(): BootStep[] {
    const env = this.env;
    if (!env.sevActive || !kvmParaHasFeature(env, env.abi.guestGateBit.bit)) return [];
    this.enabled = true;
    env.mem.notifyEnabled = true;
    env.printk('KVM SEV live migration feature supported');
    const l = env.layout;
    const steps: BootStep[] = [() => void env.mem.hypercall(l.bssDecrypted, l.bssDecryptedSize / 4096, false)];
    if (!env.efiBoot && env.writesMsr) steps.push(() => wrmsrl(env, env.abi.msr.index, env.abi.msr.enableBit));
    return steps;
  }

  /** `setup_kvm_sev_migration()` (late_initcall). */
  lateInit(): BootStep[] {
    const env = this.env;
    if (!this.enabled || !env.efiBoot || !env.writesMsr) return [];
    return [
      () => {
        if (readMigrationVariable(env, 'setup_kvm_sev_migration')) wrmsrl(env, env.abi.msr.index, env.abi.msr.enableBit);
      },
    ];
  }

  /** The reboot notifier before kexec: every E820 RAM entry back to encrypted. */
  kexecReset(): BootStep[] {
    const env = this.env;
    if (!this.enabled) return [];
    return env.e820.filter((e) => e.type === 'usable').map((e) => () => void env.mem.hypercall(e.addr, Math.ceil(e.size / 4096), true));
  }

  /** The pv hook (`page_encryption_changed`) notifies only with the flag set. */
  get notify(): boolean {
    return this.enabled;
  }
}
