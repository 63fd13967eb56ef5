/**
 * KVM's migration sub-commands (Linux 5.13 arch/x86/kvm/svm/sev.c; psp-sev-api.md §10,
 * §12): SEND_START (with the session-length query), SEND_UPDATE_DATA (with the header /
 * transport-length query; one guest page at most), SEND_FINISH, SEND_CANCEL,
 * RECEIVE_START (+ ACTIVATE), RECEIVE_UPDATE_DATA, RECEIVE_FINISH. The sev-boot lab does
 * not use them; the migration lab drives them through the same ioctl.
 */
import { Errno, SevStruct } from './uapi/kvm.js';
import { PAGE_SIZE } from './uapi/kvm-para.js';
import { SEV_FW_BLOB_MAX_SIZE, UserStruct, type SevOpContext } from './sev-context.js';
import { fwResult } from './sev-launch.js';
import { SEV_RET_SUCCESS } from './sev-dev.js';

type Blob = { spa: number; size: number };

/** psp_copy_user_blob: required blob (uaddr and len non-zero, len ≤ 16 KiB). */
function userBlob(ctx: SevOpContext, uaddr: number, len: number): Blob | number {
  if (uaddr === 0 || len === 0 || len > SEV_FW_BLOB_MAX_SIZE) return -Errno.EINVAL;
  const b = ctx.dev.userBlob(ctx.user, uaddr, len);
  return b === 'efault' ? -Errno.EFAULT : b === 'enomem' ? -Errno.ENOMEM : b;
}

function releaseAll(ctx: SevOpContext, blobs: (Blob | number)[]): void {
  for (const b of blobs) if (typeof b === 'object') ctx.dev.release(b);
}

/** The pinned guest page behind `guestUaddr` with the C-bit set, or an errno. */
function guestAddress(ctx: SevOpContext, guestUaddr: number, guestLen: number): bigint | number {
  const offset = guestUaddr % PAGE_SIZE;
  if (guestLen > PAGE_SIZE || guestLen + offset > PAGE_SIZE) return -Errno.EINVAL;
  const spa = ctx.user.translate(guestUaddr);
  if (spa === undefined) return -Errno.EFAULT;
  return BigInt(spa) | (1n << BigInt(ctx.cBit));
}

/** KVM_SEV_SEND_START. */
export function sevSendStart(ctx: SevOpContext, dataUaddr: number): number {
  const L = SevStruct.kvm_sev_send_start;
  const p = UserStruct.read(ctx.user, dataUaddr, L.size);
  if (!p) return -Errno.EFAULT;
  if (p.u32(L.session_len) === 0) {
    ctx.note = 'length query (session_len = 0)';
    const r = ctx.dev.call('SEND_START', { handle: ctx.sev.handle });
    p.setU32(L.session_len, Number(r.field('session_len')));
    const ret = fwResult(ctx, r.status);
    return ctx.user.write(dataUaddr, p.bytes) ? ret : -Errno.EFAULT;
  }
  const sessionLen = p.u32(L.session_len);
  if (p.u64(L.pdh_cert_uaddr) === 0 || p.u32(L.pdh_cert_len) === 0 || p.u64(L.session_uaddr) === 0 || sessionLen > SEV_FW_BLOB_MAX_SIZE) return -Errno.EINVAL;
  const session = ctx.dev.zeroBlob(sessionLen);
  const pdh = userBlob(ctx, p.u64(L.pdh_cert_uaddr), p.u32(L.pdh_cert_len));
  const plat = userBlob(ctx, p.u64(L.plat_certs_uaddr), p.u32(L.plat_certs_len));
  const amd = userBlob(ctx, p.u64(L.amd_certs_uaddr), p.u32(L.amd_certs_len));
  const blobs = [session ?? -Errno.ENOMEM, pdh, plat, amd];
  const bad = blobs.find((b) => typeof b === 'number');
  if (bad !== undefined) return releaseAll(ctx, blobs), bad;
  const [s, d, pl, a] = blobs as Blob[];
  const r = ctx.dev.call('SEND_START', {
    handle: ctx.sev.handle,
    pdh_cert_paddr: BigInt(d.spa),
    pdh_cert_len: p.u32(L.pdh_cert_len),
    plat_certs_paddr: BigInt(pl.spa),
    plat_certs_len: p.u32(L.plat_certs_len),
    amd_certs_paddr: BigInt(a.spa),
    amd_certs_len: p.u32(L.amd_certs_len),
    session_paddr: BigInt(s.spa),
    session_len: sessionLen,
  });
  let ret = fwResult(ctx, r.status);
  if (r.status === SEV_RET_SUCCESS) {
    if (!ctx.user.write(p.u64(L.session_uaddr), ctx.dev.readKernel(s.spa, sessionLen))) ret = -Errno.EFAULT;
    p.setU32(L.policy, Number(r.field('policy')));
    p.setU32(L.session_len, Number(r.field('session_len')));
    if (!ctx.user.write(dataUaddr, p.bytes)) ret = -Errno.EFAULT;
  }
  releaseAll(ctx, blobs);
  return ret;
}

/** KVM_SEV_SEND_UPDATE_DATA (hdr_len or trans_len 0: length query). */
export function sevSendUpdateData(ctx: SevOpContext, dataUaddr: number): number {
  const L = SevStruct.kvm_sev_send_update_data;
  const p = UserStruct.read(ctx.user, dataUaddr, L.size);
  if (!p) return -Errno.EFAULT;
  if (p.u32(L.hdr_len) === 0 || p.u32(L.trans_len) === 0) {
    ctx.note = 'length query (hdr_len or trans_len = 0)';
    const r = ctx.dev.call('SEND_UPDATE_DATA', { handle: ctx.sev.handle });
    p.setU32(L.hdr_len, Number(r.field('hdr_len')));
    p.setU32(L.trans_len, Number(r.field('trans_len')));
    const ret = fwResult(ctx, r.status);
    return ctx.user.write(dataUaddr, p.bytes) ? ret : -Errno.EFAULT;
  }
  const hdrLen = p.u32(L.hdr_len);
  const transLen = p.u32(L.trans_len);
  const guestLen = p.u32(L.guest_len);
  if (p.u64(L.trans_uaddr) === 0 || p.u64(L.guest_uaddr) === 0 || guestLen === 0 || p.u64(L.hdr_uaddr) === 0) return -Errno.EINVAL;
  const gaddr = guestAddress(ctx, p.u64(L.guest_uaddr), guestLen);
  if (typeof gaddr === 'number') return gaddr;
  if (hdrLen > SEV_FW_BLOB_MAX_SIZE || transLen > SEV_FW_BLOB_MAX_SIZE) return -Errno.EINVAL;
  const hdr = ctx.dev.zeroBlob(hdrLen);
  const trans = ctx.dev.zeroBlob(transLen);
  if (!hdr || !trans) return releaseAll(ctx, [hdr ?? 0, trans ?? 0]), -Errno.ENOMEM;
  const r = ctx.dev.call('SEND_UPDATE_DATA', {
    handle: ctx.sev.handle,
    hdr_paddr: BigInt(hdr.spa),
    hdr_len: hdrLen,
    guest_paddr: gaddr,
    guest_len: guestLen,
    trans_paddr: BigInt(trans.spa),
    trans_len: transLen,
  });
  let ret = fwResult(ctx, r.status);
  if (r.status === SEV_RET_SUCCESS) {
    if (!ctx.dev.copyToUser(ctx.user, p.u64(L.trans_uaddr), trans.spa, transLen)) ret = -Errno.EFAULT;
    if (!ctx.dev.copyToUser(ctx.user, p.u64(L.hdr_uaddr), hdr.spa, hdrLen)) ret = -Errno.EFAULT;
  }
  releaseAll(ctx, [hdr, trans]);
  return ret;
}

/** KVM_SEV_SEND_FINISH / SEND_CANCEL / RECEIVE_FINISH: handle only. */
export function sevHandleOnly(ctx: SevOpContext, psp: 'SEND_FINISH' | 'SEND_CANCEL' | 'RECEIVE_FINISH'): number {
  return fwResult(ctx, ctx.dev.call(psp, { handle: ctx.sev.handle }).status);
}

/** KVM_SEV_RECEIVE_START: new context from the source's PDH and session, then ACTIVATE. */
export function sevReceiveStart(ctx: SevOpContext, dataUaddr: number): number {
  const L = SevStruct.kvm_sev_launch_start;
  const p = UserStruct.read(ctx.user, dataUaddr, L.size);
  if (!p) return -Errno.EFAULT;
  if (p.u64(L.dh_uaddr) === 0 || p.u32(L.dh_len) === 0 || p.u64(L.session_uaddr) === 0 || p.u32(L.session_len) === 0) return -Errno.EINVAL;
  const pdh = userBlob(ctx, p.u64(L.dh_uaddr), p.u32(L.dh_len));
  const session = userBlob(ctx, p.u64(L.session_uaddr), p.u32(L.session_len));
  const bad = [pdh, session].find((b) => typeof b === 'number');
  if (bad !== undefined) return releaseAll(ctx, [pdh, session]), bad;
  const policy = p.u32(L.policy);
  const r = ctx.dev.call('RECEIVE_START', {
    handle: p.u32(L.handle),
    policy,
    pdh_cert_paddr: BigInt((pdh as Blob).spa),
    pdh_cert_len: p.u32(L.dh_len),
    session_paddr: BigInt((session as Blob).spa),
    session_len: p.u32(L.session_len),
  });
  releaseAll(ctx, [pdh, session]);
  if (r.status !== SEV_RET_SUCCESS) return fwResult(ctx, r.status);
  const handle = Number(r.field('handle'));
  const act = ctx.dev.call('ACTIVATE', { handle, asid: ctx.sev.asid });
  if (act.status !== SEV_RET_SUCCESS) {
    ctx.dev.call('DECOMMISSION', { handle });
    return fwResult(ctx, act.status);
  }
  ctx.sev.handle = handle;
  ctx.sev.policy = policy;
  p.setU32(L.handle, handle);
  return ctx.user.write(dataUaddr, p.bytes) ? 0 : -Errno.EFAULT;
}

/** KVM_SEV_RECEIVE_UPDATE_DATA. */
export function sevReceiveUpdateData(ctx: SevOpContext, dataUaddr: number): number {
  const L = SevStruct.kvm_sev_send_update_data;
  const p = UserStruct.read(ctx.user, dataUaddr, L.size);
  if (!p) return -Errno.EFAULT;
  const guestLen = p.u32(L.guest_len);
  if ([p.u64(L.hdr_uaddr), p.u32(L.hdr_len), p.u64(L.guest_uaddr), guestLen, p.u64(L.trans_uaddr), p.u32(L.trans_len)].some((v) => v === 0)) return -Errno.EINVAL;
  const gaddr = guestAddress(ctx, p.u64(L.guest_uaddr), guestLen);
  if (typeof gaddr === 'number') return gaddr;
  const hdr = userBlob(ctx, p.u64(L.hdr_uaddr), p.u32(L.hdr_len));
  const trans = userBlob(ctx, p.u64(L.trans_uaddr), p.u32(L.trans_len));
  const bad = [hdr, trans].find((b) => typeof b === 'number');
  if (bad !== undefined) return releaseAll(ctx, [hdr, trans]), bad;
  const r = ctx.dev.call('RECEIVE_UPDATE_DATA', {
    handle: ctx.sev.handle,
    hdr_paddr: BigInt((hdr as Blob).spa),
    hdr_len: p.u32(L.hdr_len),
    guest_paddr: gaddr,
    guest_len: guestLen,
    trans_paddr: BigInt((trans as Blob).spa),
    trans_len: p.u32(L.trans_len),
  });
  releaseAll(ctx, [hdr, trans]);
  return fwResult(ctx, r.status);
}
