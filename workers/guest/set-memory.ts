/**
 * `set_memory_decrypted()` / `set_memory_encrypted()` and their `early_` variants as the
 * SEV guest runs them (reference sev-migration-flow.md §2.2–§2.3; Linux
 * arch/x86/mm/pat/set_memory.c, mem_encrypt_amd.c):
 *
 * 1. change the C-bit in the page tables (splitting large pages at the edges);
 * 2. the `early_` variants keep the contents (they copy the data through the old and the
 *    new mapping); the runtime ones do not — the page's old ciphertext now reads as
 *    garbage through the new mapping, and callers such as SWIOTLB overwrite it;
 * 3. then the notification: walk the page tables and issue hypercall 12 once per mapping
 *    (`notify_range_enc_status_changed` / v11's `set_memory_enc_dec_hypercall`), if the
 *    hook is live (upstream: installed when CPUID bit 17 is set; v11: installed for every
 *    SEV guest, but returns at once unless `sev_live_migration_enabled`).
 *
 * The notifications are returned as steps, one hypercall each.
 */
import { hex } from '../kvm/uapi/u64.js';
import type { Vcpu } from '../kvm/vcpu.js';
import type { SevMigrationAbi } from '../kvm/uapi/abi.js';
import type { Emitter } from '../host/context.js';
import type { GuestPageTables } from './page-tables.js';
import type { BootStep } from './steps.js';
import './events.js';

/** The guest's memory-encryption helpers. */
export class SetMemory {
  /** True when page-state changes reach the host (see the file header, point 3). */
  notifyEnabled = false;
  /** RAX of the last notification hypercall. */
  lastRet = 0n;

  constructor(
    private readonly abi: SevMigrationAbi,
    private readonly vcpu: Vcpu,
    private readonly pt: GuestPageTables,
    private readonly emit: Emitter,
  ) {}

  /** One hypercall 12 for `[gpa, gpa + npages)` (`kvm_sev_hc_page_enc_status` / `kvm_sev_hypercall3`). */
  hypercall(gpa: number, npages: number, enc: boolean): bigint {
    const [a0, a1, a2] = this.abi.encodeRange(BigInt(gpa), BigInt(npages), enc);
    this.lastRet = this.vcpu.vmmcall(BigInt(this.abi.hypercall.nr), a0, a1, a2, 0n, 'guest');
    return this.lastRet;
  }

  /** Changes the C-bit of the range; returns one notification step per mapping. */
  change(func: string, gpa: number, npages: number, enc: boolean): BootStep[] {
    const early = func.startsWith('early_');
    let saved: Uint8Array | undefined;
    if (early) saved = this.vcpu.read(gpa, npages * 4096, !this.pt.isShared(gpa));
    this.pt.setEncryption(gpa, npages, enc);
    if (saved && saved.some((b) => b !== 0)) this.vcpu.write(gpa, saved, enc);
    const maps = this.pt.walk(gpa, npages);
    this.emit('guest.set-memory', { func, gpa: hex(gpa), npages, enc, mappings: maps.length, notify: this.notifyEnabled });
    if (!this.notifyEnabled) return [];
    return maps.map((m) => () => void this.hypercall(m.gpa, m.npages, enc));
  }

  /** `set_memory_decrypted(addr, numpages)`. */
  decrypted(gpa: number, npages: number): BootStep[] {
    return this.change('set_memory_decrypted', gpa, npages, false);
  }

  /** `set_memory_encrypted(addr, numpages)`. */
  encrypted(gpa: number, npages: number): BootStep[] {
    return this.change('set_memory_encrypted', gpa, npages, true);
  }
}
