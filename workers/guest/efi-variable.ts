/**
 * The kernel reading `SevLiveMigrationEnabled` through EFI runtime services
 * (`efi.get_variable(L"SevLiveMigrationEnabled", &AMD_SEV_MEM_ENCRYPT_GUID, NULL, &size,
 * &enabled)`), with the messages Linux prints for each outcome (arch/x86/kernel/kvm.c).
 */
import { EfiStatus, MEM_ENCRYPT_GUID, SEV_LIVE_MIGRATION_VARIABLE } from '../ovmf/efi.js';
import type { SevMigrationEnv } from './sev-migration-env.js';

/** True when the variable is present and non-zero; prints what the kernel prints. */
export function readMigrationVariable(env: SevMigrationEnv, fn: string): boolean {
  const p = env.abi.id === 'upstream' ? 'kvm-guest: ' : '';
  if (!env.getVariable) {
    env.printk(`${p}${fn} : EFI runtime services are not enabled`);
    return false;
  }
  const r = env.getVariable(SEV_LIVE_MIGRATION_VARIABLE, MEM_ENCRYPT_GUID, 1);
  if (r.status === EfiStatus.EFI_NOT_FOUND) {
    env.printk(`${p}${fn} : EFI live migration variable not found`);
    return false;
  }
  if (r.status !== EfiStatus.EFI_SUCCESS) {
    env.printk(`${p}${fn} : EFI variable retrieval failed`);
    return false;
  }
  if (!r.data || r.data[0] === 0) {
    env.printk(`${p}${fn}: live migration disabled in EFI`);
    return false;
  }
  env.printk(`${p}${fn} : live migration enabled in EFI`);
  return true;
}
