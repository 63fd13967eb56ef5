/**
 * KVM's userspace ABI as far as the lab's host uses it (Linux `include/uapi/linux/kvm.h`,
 * `arch/x86/include/uapi/asm/kvm.h`; reference sev-migration-flow.md §1.4 and
 * psp-sev-api.md §12). Exit reasons, capabilities, memslot flags, the MSR filter and
 * user-space-MSR constants, and the `enum sev_cmd_id` sub-commands of
 * `KVM_MEMORY_ENCRYPT_OP` with the byte layouts of their argument structs.
 *
 * The v11-only exits (DMA_SHARE / DMA_UNSHARE, 35 / 36) are in `abi-v11.ts`.
 */

/** `kvm_run.exit_reason` values the lab produces (shared by both ABIs). */
export const KvmExitReason = {
  KVM_EXIT_UNKNOWN: 0,
  KVM_EXIT_IO: 2,
  KVM_EXIT_HYPERCALL: 3,
  KVM_EXIT_HLT: 5,
  KVM_EXIT_MMIO: 6,
  KVM_EXIT_SHUTDOWN: 8,
  KVM_EXIT_SYSTEM_EVENT: 24,
  KVM_EXIT_X86_RDMSR: 29,
  KVM_EXIT_X86_WRMSR: 30,
} as const;

/** Capabilities (KVM_CHECK_EXTENSION / KVM_ENABLE_CAP numbers). */
export const KvmCap = {
  KVM_CAP_X86_USER_SPACE_MSR: 188,
  KVM_CAP_X86_MSR_FILTER: 189,
  KVM_CAP_VM_COPY_ENC_CONTEXT_FROM: 197,
  /** VM cap: CHECK_EXTENSION returns the mask of hypercalls that may exit (bit 12); ENABLE_CAP arg0 = mask (§1.4). */
  KVM_CAP_EXIT_HYPERCALL: 201,
  KVM_CAP_VM_MOVE_ENC_CONTEXT_FROM: 206,
} as const;

/** `kvm_run.msr.reason` and the KVM_CAP_X86_USER_SPACE_MSR enable mask. */
export const KvmMsrExitReason = {
  KVM_MSR_EXIT_REASON_INVAL: 1 << 0,
  KVM_MSR_EXIT_REASON_UNKNOWN: 1 << 1,
  KVM_MSR_EXIT_REASON_FILTER: 1 << 2,
} as const;

/** MSR filter range flags and default action (KVM_X86_SET_MSR_FILTER). */
export const KvmMsrFilter = {
  KVM_MSR_FILTER_READ: 1 << 0,
  KVM_MSR_FILTER_WRITE: 1 << 1,
  KVM_MSR_FILTER_DEFAULT_ALLOW: 0,
  KVM_MSR_FILTER_DEFAULT_DENY: 1,
} as const;

/** `kvm_userspace_memory_region.flags`. */
export const KvmMemFlag = {
  KVM_MEM_LOG_DIRTY_PAGES: 1 << 0,
  KVM_MEM_READONLY: 1 << 1,
} as const;

/** `enum sev_cmd_id`: the sub-command ids of KVM_MEMORY_ENCRYPT_OP (psp-sev-api.md §12). */
export const SevCmdId = {
  KVM_SEV_INIT: 0,
  KVM_SEV_ES_INIT: 1,
  KVM_SEV_LAUNCH_START: 2,
  KVM_SEV_LAUNCH_UPDATE_DATA: 3,
  KVM_SEV_LAUNCH_UPDATE_VMSA: 4,
  KVM_SEV_LAUNCH_SECRET: 5,
  KVM_SEV_LAUNCH_MEASURE: 6,
  KVM_SEV_LAUNCH_FINISH: 7,
  KVM_SEV_SEND_START: 8,
  KVM_SEV_SEND_UPDATE_DATA: 9,
  KVM_SEV_SEND_UPDATE_VMSA: 10,
  KVM_SEV_SEND_FINISH: 11,
  KVM_SEV_RECEIVE_START: 12,
  KVM_SEV_RECEIVE_UPDATE_DATA: 13,
  KVM_SEV_RECEIVE_UPDATE_VMSA: 14,
  KVM_SEV_RECEIVE_FINISH: 15,
  KVM_SEV_GUEST_STATUS: 16,
  KVM_SEV_DBG_DECRYPT: 17,
  KVM_SEV_DBG_ENCRYPT: 18,
  KVM_SEV_CERT_EXPORT: 19,
  KVM_SEV_GET_ATTESTATION_REPORT: 20,
  KVM_SEV_SEND_CANCEL: 21,
  KVM_SEV_INIT2: 22,
} as const;

/** A sub-command name. */
export type SevCmdName = keyof typeof SevCmdId;

/** The name of a sub-command id, or `#id` for one the enum does not name. */
export function sevCmdName(id: number): string {
  return sevCmdNames().get(id) ?? `#${id}`;
}

let SEV_CMD_NAMES: Map<number, string> | undefined;

/** id → name of `enum sev_cmd_id` (looked up on every KVM_MEMORY_ENCRYPT_OP). */
function sevCmdNames(): Map<number, string> {
  SEV_CMD_NAMES ??= new Map((Object.entries(SevCmdId) as [string, number][]).map(([k, v]) => [v, k]));
  return SEV_CMD_NAMES;
}

/** The name of a shared exit reason, or undefined. */
export function exitReasonName(reason: number): string | undefined {
  return (Object.entries(KvmExitReason) as [string, number][]).find(([, v]) => v === reason)?.[0];
}

/**
 * Byte layouts (offsets) of the userspace structs of §12, x86-64 layout. Every struct is
 * little-endian; `kvm_sev_cmd` is the ioctl argument itself.
 */
export const SevStruct = {
  /** `struct kvm_sev_cmd` (24 bytes): id u32, pad u32, data u64, error u32, sev_fd u32. */
  kvm_sev_cmd: { size: 24, id: 0, data: 8, error: 16, sev_fd: 20 },
  /** `struct kvm_sev_launch_start` / `kvm_sev_receive_start` (40 bytes). */
  kvm_sev_launch_start: { size: 40, handle: 0, policy: 4, dh_uaddr: 8, dh_len: 16, session_uaddr: 24, session_len: 32 },
  /** `struct kvm_sev_launch_update_data` and `kvm_sev_launch_measure` (16 bytes). */
  kvm_sev_launch_update_data: { size: 16, uaddr: 0, len: 8 },
  /** `struct kvm_sev_guest_status` (12 bytes). */
  kvm_sev_guest_status: { size: 12, handle: 0, policy: 4, state: 8 },
  /** `struct kvm_sev_dbg` (24 bytes). */
  kvm_sev_dbg: { size: 24, src_uaddr: 0, dst_uaddr: 8, len: 16 },
  /** `struct kvm_sev_send_start` (72 bytes). */
  kvm_sev_send_start: {
    size: 72,
    policy: 0,
    pdh_cert_uaddr: 8,
    pdh_cert_len: 16,
    plat_certs_uaddr: 24,
    plat_certs_len: 32,
    amd_certs_uaddr: 40,
    amd_certs_len: 48,
    session_uaddr: 56,
    session_len: 64,
  },
  /** `struct kvm_sev_send_update_data` / `_receive_update_data` / `_launch_secret` (48 bytes). */
  kvm_sev_send_update_data: { size: 48, hdr_uaddr: 0, hdr_len: 8, guest_uaddr: 16, guest_len: 24, trans_uaddr: 32, trans_len: 40 },
} as const;

/** Linux errno values the ioctls return (negated). */
export const Errno = {
  EPERM: 1,
  ENOENT: 2,
  EIO: 5,
  E2BIG: 7,
  EBADF: 9,
  ENOMEM: 12,
  EFAULT: 14,
  EBUSY: 16,
  EEXIST: 17,
  ENOTTY: 25,
  EINVAL: 22,
  ENOSPC: 28,
  ENOTSUPP: 524,
} as const;

/** `-EINVAL`-style name for a negative ioctl return (or the number). */
export function errnoName(ret: number): string {
  if (ret >= 0) return String(ret);
  return `-${(Object.entries(Errno) as [string, number][]).find(([, v]) => v === -ret)?.[0] ?? String(-ret)}`;
}
