/**
 * KVM's launch sub-commands (Linux arch/x86/kvm/svm/sev.c; psp-sev-api.md §11, §12):
 * KVM_SEV_INIT, LAUNCH_START (+ ACTIVATE, DECOMMISSION on failure), LAUNCH_UPDATE_DATA
 * (pins the pages and encrypts every physically contiguous run in place),
 * LAUNCH_MEASURE (with "pass zero to learn the length"), LAUNCH_FINISH, GUEST_STATUS.
 *
 * Each returns the ioctl's value: 0, -EIO with `ctx.error` = firmware status when the
 * PSP refused, or another -errno for KVM's own checks.
 */
import { Errno, SevStruct } from './uapi/kvm.js';
import { PAGE_SIZE } from './uapi/kvm-para.js';
import { SEV_FW_BLOB_MAX_SIZE, UserStruct, type SevOpContext } from './sev-context.js';
import { SEV_RET_INVALID_LEN, SEV_RET_SUCCESS } from './sev-dev.js';

/** `sev_issue_cmd`'s mapping: a firmware failure is -EIO with the status in `error`. */
export function fwResult(ctx: SevOpContext, status: number): number {
  ctx.error = status < 0 ? 0 : status;
  return status === SEV_RET_SUCCESS ? 0 : -Errno.EIO;
}

/** KVM_SEV_INIT: ASID, platform INIT (once), SEV on for this VM. */
export function sevGuestInit(ctx: SevOpContext): number {
  if (ctx.sev.active) return -Errno.EBUSY;
  const asid = ctx.asids.alloc(() => ctx.dev.flushAsids() === SEV_RET_SUCCESS);
  if (asid === 0) return -Errno.EBUSY;
  const st = ctx.dev.platformInit();
  if (st !== SEV_RET_SUCCESS) {
    ctx.asids.free(asid);
    return fwResult(ctx, st);
  }
  ctx.sev.active = true;
  ctx.sev.asid = asid;
  return 0;
}

/** Copies an optional user blob into kernel pages: undefined (none), 'einval', 'efault', or the page. */
function copyBlob(ctx: SevOpContext, uaddr: number, len: number): { spa: number; size: number } | undefined | 'einval' | 'efault' {
  if (uaddr === 0) return undefined;
  if (len === 0 || len > SEV_FW_BLOB_MAX_SIZE) return 'einval';
  const data = ctx.user.read(uaddr, len);
  if (!data) return 'efault';
  return ctx.dev.blob(data) ?? 'efault';
}

/** KVM_SEV_LAUNCH_START: new guest context, then ACTIVATE(handle, asid). */
export function sevLaunchStart(ctx: SevOpContext, dataUaddr: number): number {
  const L = SevStruct.kvm_sev_launch_start;
  const p = UserStruct.read(ctx.user, dataUaddr, L.size);
  if (!p) return -Errno.EFAULT;
  const dh = copyBlob(ctx, p.u64(L.dh_uaddr), p.u32(L.dh_len));
  const session = copyBlob(ctx, p.u64(L.session_uaddr), p.u32(L.session_len));
  const release = (): void => {
    if (typeof dh === 'object') ctx.dev.release(dh);
    if (typeof session === 'object') ctx.dev.release(session);
  };
  if (dh === 'einval' || session === 'einval') return release(), -Errno.EINVAL;
  if (dh === 'efault' || session === 'efault') return release(), -Errno.EFAULT;
  const policy = p.u32(L.policy);
  const r = ctx.dev.call('LAUNCH_START', {
    handle: p.u32(L.handle),
    policy,
    dh_cert_paddr: BigInt(dh?.spa ?? 0),
    dh_cert_len: dh ? p.u32(L.dh_len) : 0,
    session_paddr: BigInt(session?.spa ?? 0),
    session_len: session ? p.u32(L.session_len) : 0,
  });
  release();
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
  if (!ctx.user.write(dataUaddr, p.bytes)) return -Errno.EFAULT;
  return 0;
}

/** KVM_SEV_LAUNCH_UPDATE_DATA {uaddr, len}: encrypt the pages in place, one PSP call per contiguous run. */
export function sevLaunchUpdateData(ctx: SevOpContext, dataUaddr: number): number {
  const L = SevStruct.kvm_sev_launch_update_data;
  const p = UserStruct.read(ctx.user, dataUaddr, L.size);
  if (!p) return -Errno.EFAULT;
  const uaddr = p.u64(L.uaddr);
  const len = p.u64(L.len);
  if (len === 0 || uaddr === 0) return -Errno.EINVAL;
  // Pin (get_user_pages) every page first; a hole is -EFAULT before anything is encrypted.
  const first = uaddr - (uaddr % PAGE_SIZE);
  const spas: number[] = [];
  for (let a = first; a < uaddr + len; a += PAGE_SIZE) {
    const spa = ctx.user.translate(a);
    if (spa === undefined) return -Errno.EFAULT;
    spas.push(spa);
  }
  let done = 0;
  let i = 0;
  while (done < len) {
    let run = 1;
    while (i + run < spas.length && spas[i + run] === spas[i] + run * PAGE_SIZE) run++;
    const offset = i === 0 ? uaddr % PAGE_SIZE : 0;
    const size = Math.min(run * PAGE_SIZE - offset, len - done);
    const r = ctx.dev.call('LAUNCH_UPDATE_DATA', { handle: ctx.sev.handle, paddr: BigInt(spas[i] + offset), len: size });
    if (r.status !== SEV_RET_SUCCESS) return fwResult(ctx, r.status);
    done += size;
    i += run;
  }
  return 0;
}

/** KVM_SEV_LAUNCH_MEASURE {uaddr, len}: len 0 asks for the length (-EIO, error INVALID_LEN, len filled). */
export function sevLaunchMeasure(ctx: SevOpContext, dataUaddr: number): number {
  const L = SevStruct.kvm_sev_launch_update_data;
  const p = UserStruct.read(ctx.user, dataUaddr, L.size);
  if (!p) return -Errno.EFAULT;
  const uaddr = p.u64(L.uaddr);
  const len = p.u64(L.len);
  let page: { spa: number; size: number } | undefined;
  if (len !== 0) {
    if (len > SEV_FW_BLOB_MAX_SIZE) return -Errno.EINVAL;
    page = ctx.dev.blob(new Uint8Array(len));
    if (!page) return -Errno.ENOMEM;
  } else {
    ctx.note = 'length query (len = 0)';
  }
  const r = ctx.dev.call('LAUNCH_MEASURE', { handle: ctx.sev.handle, paddr: BigInt(page?.spa ?? 0), len });
  let ret = fwResult(ctx, r.status);
  if (page && r.status === SEV_RET_SUCCESS) {
    const blob = ctx.dev.readKernel(page.spa, Number(r.field('len')));
    if (!ctx.user.write(uaddr, blob)) ret = -Errno.EFAULT;
  }
  ctx.dev.release(page);
  if (r.status === SEV_RET_SUCCESS || r.status === SEV_RET_INVALID_LEN) {
    p.setU64(L.len, r.field('len'));
    if (!ctx.user.write(dataUaddr, p.bytes)) ret = -Errno.EFAULT;
  }
  return ret;
}

/** KVM_SEV_LAUNCH_FINISH. */
export function sevLaunchFinish(ctx: SevOpContext): number {
  return fwResult(ctx, ctx.dev.call('LAUNCH_FINISH', { handle: ctx.sev.handle }).status);
}

/** KVM_SEV_GUEST_STATUS {handle, policy, state} (state as the firmware reports it, §3 quirk). */
export function sevGuestStatus(ctx: SevOpContext, dataUaddr: number): number {
  const L = SevStruct.kvm_sev_guest_status;
  const r = ctx.dev.call('GUEST_STATUS', { handle: ctx.sev.handle });
  if (r.status !== SEV_RET_SUCCESS) return fwResult(ctx, r.status);
  const out = new UserStruct(new Uint8Array(L.size));
  out.setU32(L.handle, ctx.sev.handle);
  out.setU32(L.policy, Number(r.field('policy')));
  out.setU32(L.state, Number(r.field('state')));
  return ctx.user.write(dataUaddr, out.bytes) ? 0 : -Errno.EFAULT;
}
