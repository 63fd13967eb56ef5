/**
 * KVM_SEV_DBG_DECRYPT / KVM_SEV_DBG_ENCRYPT {src_uaddr, dst_uaddr, len} (psp-sev-api.md
 * §12–§13; Linux `sev_dbg_crypt`): page by page, the guest page is pinned, the PSP
 * decrypts (encrypts) through a kernel bounce page with 16-byte-aligned addresses and
 * lengths, and KVM copies the wanted bytes out (in, read-modify-write for unaligned
 * requests).
 *
 * The unencrypted-region path (reference §2.7): DBG_DECRYPT of a shared page would return
 * garbage (the PSP "decrypts" plaintext with the guest key). v10 let KVM copy such ranges
 * directly; v11 dropped that because KVM no longer has the list. [U] lab choice: KVM asks
 * the VMM's list through `ctx.unencryptedRegion` and, when the whole chunk lies in one
 * shared region, copies the bytes directly without the PSP (noted in the event).
 */
import { Errno, SevStruct } from './uapi/kvm.js';
import { PAGE_SIZE } from './uapi/kvm-para.js';
import { UserStruct, hvaToGfn, type SevOpContext } from './sev-context.js';
import { fwResult } from './sev-launch.js';
import { SEV_RET_SUCCESS } from './sev-dev.js';

const down16 = (v: number): number => v - (v % 16);
const up16 = (v: number): number => (v % 16 === 0 ? v : v + 16 - (v % 16));

/** Decrypts `len` (≤ one page, inside one page) guest bytes at host-virtual `src`; a status or the bytes. */
function decryptChunk(ctx: SevOpContext, src: number, len: number): Uint8Array | number {
  const spa = ctx.user.translate(src);
  if (spa === undefined) return -Errno.EFAULT;
  const start = down16(spa);
  const rlen = up16(spa + len) - start;
  const bounce = ctx.dev.blob(new Uint8Array(rlen));
  if (!bounce) return -Errno.ENOMEM;
  const r = ctx.dev.call('DBG_DECRYPT', { handle: ctx.sev.handle, src_paddr: BigInt(start), dst_paddr: BigInt(bounce.spa), len: rlen });
  const bytes = ctx.dev.readKernel(bounce.spa, rlen).slice(spa - start, spa - start + len);
  ctx.dev.release(bounce);
  return r.status === SEV_RET_SUCCESS ? bytes : fwResult(ctx, r.status);
}

/** `struct kvm_sev_dbg` from user memory: -EFAULT when unreadable, -EINVAL for a zero length or address. */
function readDbgArgs(ctx: SevOpContext, dataUaddr: number): { src: number; dst: number; len: number } | number {
  const L = SevStruct.kvm_sev_dbg;
  const p = UserStruct.read(ctx.user, dataUaddr, L.size);
  if (!p) return -Errno.EFAULT;
  const src = p.u64(L.src_uaddr);
  const dst = p.u64(L.dst_uaddr);
  const len = p.u64(L.len);
  if (len === 0 || src === 0 || dst === 0) return -Errno.EINVAL;
  return { src, dst, len };
}

/** KVM_SEV_DBG_DECRYPT. */
export function sevDbgDecrypt(ctx: SevOpContext, dataUaddr: number): number {
  const args = readDbgArgs(ctx, dataUaddr);
  if (typeof args === 'number') return args;
  const { src, dst, len } = args;
  let done = 0;
  let bypassed = 0;
  while (done < len) {
    const s = src + done;
    const chunk = Math.min(PAGE_SIZE - (s % PAGE_SIZE), len - done);
    const gfn = hvaToGfn(ctx.memslots, s);
    let bytes: Uint8Array | number;
    if (gfn !== undefined && ctx.unencryptedRegion?.(gfn, 1)) {
      bytes = ctx.user.read(s, chunk) ?? -Errno.EFAULT;
      bypassed += chunk;
    } else {
      bytes = decryptChunk(ctx, s, chunk);
    }
    if (typeof bytes === 'number') return bytes;
    if (!ctx.user.write(dst + done, bytes)) return -Errno.EFAULT;
    done += chunk;
  }
  if (bypassed) ctx.note = `${bypassed} of ${len} bytes lie in a shared region: copied directly, not through the PSP`;
  return 0;
}

/** KVM_SEV_DBG_ENCRYPT (read-modify-write through DBG_DECRYPT for unaligned edges). */
export function sevDbgEncrypt(ctx: SevOpContext, dataUaddr: number): number {
  const args = readDbgArgs(ctx, dataUaddr);
  if (typeof args === 'number') return args;
  const { src, dst, len } = args;
  let done = 0;
  while (done < len) {
    const d = dst + done;
    const chunk = Math.min(PAGE_SIZE - (d % PAGE_SIZE), len - done);
    const data = ctx.user.read(src + done, chunk);
    const spa = ctx.user.translate(d);
    if (!data || spa === undefined) return -Errno.EFAULT;
    const start = down16(spa);
    const rlen = up16(spa + chunk) - start;
    let block: Uint8Array;
    if (start === spa && rlen === chunk) block = data;
    else {
      const old = decryptChunk(ctx, d - (spa - start), rlen);
      if (typeof old === 'number') return old;
      block = old;
      block.set(data, spa - start);
    }
    const bounce = ctx.dev.blob(block);
    if (!bounce) return -Errno.ENOMEM;
    const r = ctx.dev.call('DBG_ENCRYPT', { handle: ctx.sev.handle, src_paddr: BigInt(bounce.spa), dst_paddr: BigInt(start), len: rlen });
    ctx.dev.release(bounce);
    if (r.status !== SEV_RET_SUCCESS) return fwResult(ctx, r.status);
    done += chunk;
  }
  return 0;
}
