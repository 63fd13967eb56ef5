/**
 * Guest memory as the guest reads it, page by page (`pc.ram`, RAM offset order): a page
 * the guest maps C-bit clear (its page-state SHARED bit) reads DRAM as it is; any other
 * page reads through the guest's current VEK and the address tweak — what the guest CPU
 * would see (psp-sev-api.md §13). For the export's `src-guest.bin` / `dst-guest.bin` and
 * for tests comparing source and target. Not a host view: a host component must never
 * read private memory this way.
 */
import { sha256 } from '@noble/hashes/sha2.js';
import { bytesToHex } from '@noble/hashes/utils.js';
import { PageState } from '../host/page-states.js';
import type { SevHost } from '../host/sev-host.js';

/** Calls `visit(pageIndex, bytes)` for every pc.ram page of `host`'s guest (bytes valid during the call). */
export function forEachGuestPage(host: SevHost, visit: (page: number, bytes: Uint8Array) => void, first = 0, count = host.pageStates.pages - first): void {
  const block = host.vmm.ram.block('pc.ram');
  const view = host.psp.guestView(host.vmm.sev.handle);
  const states = host.pageStates;
  const end = Math.min(states.pages, first + count);
  for (let i = first; i < end; i++) {
    const spa = block.spa + i * 4096;
    const shared = states.has(i, PageState.SHARED);
    const bytes = shared || !view ? host.hw.memory.read(spa, 4096) : view.read(spa, 4096);
    visit(i, bytes ?? new Uint8Array(4096));
  }
}

/** Pages whose guest view differs between two hosts (same RAM size), as page indexes. */
export function differingPages(a: SevHost, b: SevHost, limit = Infinity): number[] {
  const out: number[] = [];
  const mine: Uint8Array[] = [];
  const step = 1024;
  for (let first = 0; first < a.pageStates.pages && out.length < limit; first += step) {
    mine.length = 0;
    forEachGuestPage(a, (_, bytes) => mine.push(bytes.slice()), first, step);
    forEachGuestPage(
      b,
      (i, bytes) => {
        const x = mine[i - first];
        for (let k = 0; k < 4096; k++) {
          if (x[k] !== bytes[k]) {
            if (out.length < limit) out.push(i);
            return;
          }
        }
      },
      first,
      step,
    );
  }
  return out;
}

/** What {@link guestMemoryDigest} returns. */
export interface GuestMemoryDigest {
  /** SHA-256 of every pc.ram page as the guest reads it, in RAM offset order (hex). */
  sha256: string;
  /** Pages hashed (the guest's RAM size / 4096). */
  pages: number;
  /** Pages DRAM holds data for (never-written pages read as zeros). */
  touched: number;
}

/**
 * A fingerprint of the guest's memory as the guest reads it — to check that a target
 * holds what its source held (tests, `window.kvmLab`, instructors). Like the rest of this
 * file it reads through the guest's VEK: it is not something a hypervisor could compute.
 */
export function guestMemoryDigest(host: SevHost): GuestMemoryDigest {
  const h = sha256.create();
  forEachGuestPage(host, (_, bytes) => h.update(bytes));
  return { sha256: bytesToHex(h.digest()), pages: host.pageStates.pages, touched: host.pageStates.count(PageState.TOUCHED) };
}
