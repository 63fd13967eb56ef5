/**
 * Which guest pages a migration source will hand to SEND_UPDATE_DATA next, in order — the
 * input of the PSP's send look-ahead (psp/ahead/send-ahead.ts). It walks the migration
 * bitmap as the RAM saver does (ram_list order, reference §5.1) from just after the last
 * page sealed or being sealed, and keeps the pages the §4.5 path choice sends through the
 * PSP (`system.flash0` always, `system.flash1` never, `pc.ram` unless listed shared).
 *
 * A prediction is only a hint: a page the guest dirties meanwhile, a list change or a
 * wrong guess costs a miss (the command computes as always), never a different byte.
 */
import { gpaOfRamOffset } from '../vmm/memory-layout.js';
import type { LabHost } from '../migration/lab-host.js';

const PAGE = 4096;

/**
 * Up to `max` system-physical page addresses the source of `host` will send through the
 * PSP next, after system address `after` (undefined: from the start of the bitmap).
 */
export function predictSendPages(host: LabHost, after: number | undefined, max: number): number[] {
  const bitmap = host.source.bitmap;
  const vmm = host.rt.host.vmm;
  if (!bitmap || bitmap.dirtyPages === 0) return [];
  const blocks = vmm.ram.blocks;
  let bi = 0;
  let page = 0;
  if (after !== undefined) {
    const b = blocks.find((x) => after >= x.spa && after < x.spa + x.size);
    const i = b ? bitmap.blocks.findIndex((x) => x.name === b.name) : -1;
    if (b && i >= 0) {
      bi = i;
      page = (after - b.spa) / PAGE + 1;
    }
  }
  const out: number[] = [];
  const start = { bi, page };
  let wrapped = false;
  // At most one lap of the bitmap (findNext wraps around the last block once per call).
  for (let n = 0; n < bitmap.dirtyPages && out.length < max; n++) {
    const next = bitmap.findNext(bi, page);
    if (!next) break;
    wrapped ||= next.wrapped;
    if (wrapped && (next.bi > start.bi || (next.bi === start.bi && next.page >= start.page))) break;
    const b = bitmap.blocks[next.bi];
    const ram = blocks.find((x) => x.name === b.name);
    if (ram && sentThroughPsp(host, b.name, next.page)) out.push(ram.spa + next.page * PAGE);
    bi = next.bi;
    page = next.page + 1;
  }
  return out;
}

/** The §4.5 path choice of the RAM saver (ram-save.ts `isEncrypted`). */
function sentThroughPsp(host: LabHost, block: string, page: number): boolean {
  if (block === 'system.flash0') return true;
  if (block === 'system.flash1') return false;
  const vmm = host.rt.host.vmm;
  const gfn = gpaOfRamOffset(vmm.ram.layout, page * PAGE) / PAGE;
  return !vmm.shared.isShared(gfn);
}

