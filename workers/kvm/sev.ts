/**
 * `KVM_MEMORY_ENCRYPT_OP` (`_IOWR(KVMIO, 0xba, unsigned long)`): the VM ioctl through which
 * the VMM reaches the PSP (psp-sev-api.md §12; Linux `svm_mem_enc_op`). The argument is
 * the userspace address of `struct kvm_sev_cmd {id, pad, data, error, sev_fd}`; `id` picks
 * the sub-command of `enum sev_cmd_id`, `data` points at that sub-command's struct, and
 * `error` receives the firmware status. A firmware failure makes the ioctl return -EIO.
 *
 * Order as Linux: copy the command in (-EFAULT); a VM without SEV accepts only
 * KVM_SEV_INIT / ES_INIT (-ENOTTY otherwise); unknown or unhandled ids are -EINVAL
 * (SEND/RECEIVE_UPDATE_VMSA are defined but not handled); `error` is copied back.
 */
import { Errno, SevCmdId, SevStruct, sevCmdName } from './uapi/kvm.js';
import { UserStruct, type SevOpContext } from './sev-context.js';
import { sevDbgDecrypt, sevDbgEncrypt } from './sev-debug.js';
import { sevGuestInit, sevGuestStatus, sevLaunchFinish, sevLaunchMeasure, sevLaunchStart, sevLaunchUpdateData } from './sev-launch.js';
import { sevHandleOnly, sevReceiveStart, sevReceiveUpdateData, sevSendStart, sevSendUpdateData } from './sev-migrate.js';

/** What one KVM_MEMORY_ENCRYPT_OP did. */
export interface MemoryEncryptOpResult {
  ret: number;
  id: number;
  name: string;
  error: number;
  note?: string;
}

/** Runs one KVM_MEMORY_ENCRYPT_OP with its argument at userspace address `argUaddr`. */
export function memoryEncryptOp(ctx: SevOpContext, argUaddr: number): MemoryEncryptOpResult {
  const C = SevStruct.kvm_sev_cmd;
  const cmd = UserStruct.read(ctx.user, argUaddr, C.size);
  if (!cmd) return { ret: -Errno.EFAULT, id: -1, name: '?', error: 0 };
  const id = cmd.u32(C.id);
  const data = cmd.u64(C.data);
  ctx.error = 0;
  ctx.note = undefined;
  const name = sevCmdName(id);
  if (!ctx.sev.active && id !== SevCmdId.KVM_SEV_INIT && id !== SevCmdId.KVM_SEV_ES_INIT) {
    return { ret: -Errno.ENOTTY, id, name, error: 0, note: 'not an SEV guest: KVM_SEV_INIT first' };
  }
  let ret: number;
  switch (id) {
    case SevCmdId.KVM_SEV_INIT:
      ret = sevGuestInit(ctx);
      break;
    case SevCmdId.KVM_SEV_LAUNCH_START:
      ret = sevLaunchStart(ctx, data);
      break;
    case SevCmdId.KVM_SEV_LAUNCH_UPDATE_DATA:
      ret = sevLaunchUpdateData(ctx, data);
      break;
    case SevCmdId.KVM_SEV_LAUNCH_MEASURE:
      ret = sevLaunchMeasure(ctx, data);
      break;
    case SevCmdId.KVM_SEV_LAUNCH_FINISH:
      ret = sevLaunchFinish(ctx);
      break;
    case SevCmdId.KVM_SEV_GUEST_STATUS:
      ret = sevGuestStatus(ctx, data);
      break;
    case SevCmdId.KVM_SEV_DBG_DECRYPT:
      ret = sevDbgDecrypt(ctx, data);
      break;
    case SevCmdId.KVM_SEV_DBG_ENCRYPT:
      ret = sevDbgEncrypt(ctx, data);
      break;
    case SevCmdId.KVM_SEV_SEND_START:
      ret = sevSendStart(ctx, data);
      break;
    case SevCmdId.KVM_SEV_SEND_UPDATE_DATA:
      ret = sevSendUpdateData(ctx, data);
      break;
    case SevCmdId.KVM_SEV_SEND_FINISH:
      ret = sevHandleOnly(ctx, 'SEND_FINISH');
      break;
    case SevCmdId.KVM_SEV_SEND_CANCEL:
      ret = sevHandleOnly(ctx, 'SEND_CANCEL');
      break;
    case SevCmdId.KVM_SEV_RECEIVE_START:
      ret = sevReceiveStart(ctx, data);
      break;
    case SevCmdId.KVM_SEV_RECEIVE_UPDATE_DATA:
      ret = sevReceiveUpdateData(ctx, data);
      break;
    case SevCmdId.KVM_SEV_RECEIVE_FINISH:
      ret = sevHandleOnly(ctx, 'RECEIVE_FINISH');
      break;
    default:
      return { ret: -Errno.EINVAL, id, name, error: 0, note: 'sub-command not handled by this KVM' };
  }
  cmd.setU32(C.error, ctx.error);
  if (!ctx.user.write(argUaddr, cmd.bytes)) ret = -Errno.EFAULT;
  return { ret, id, name, error: ctx.error, ...(ctx.note ? { note: ctx.note } : {}) };
}
