/**
 * The numbers of the migration stream: QEMU's file header and section types
 * (migration/savevm.h), the RAM record flags (migration/ram.c) and the AMD v4 series'
 * SEV records (reference sev-migration-flow.md §1.9, §4.6). `docs/stream-format.md`
 * describes the whole byte layout; every multi-byte integer on the wire is big-endian.
 */

/** `QEMU_VM_FILE_MAGIC`: "QEVM". */
export const QEMU_VM_FILE_MAGIC = 0x5145564d;
/** `QEMU_VM_FILE_VERSION`. */
export const QEMU_VM_FILE_VERSION = 0x00000003;
/** `QEMU_VM_FILE_VERSION_COMPAT`: the obsolete v2 format. */
export const QEMU_VM_FILE_VERSION_COMPAT = 0x00000002;

/** Top-level record types (one byte each). */
export const QemuVm = {
  EOF: 0x00,
  SECTION_START: 0x01,
  SECTION_PART: 0x02,
  SECTION_END: 0x03,
  SECTION_FULL: 0x04,
  SUBSECTION: 0x05,
  VMDESCRIPTION: 0x06,
  CONFIGURATION: 0x07,
  COMMAND: 0x08,
  SECTION_FOOTER: 0x7e,
} as const;

/** Flags in the low bits of a RAM record's be64 offset word (the page offset is 4 KiB aligned). */
export const RamSaveFlag = {
  /** Obsolete (QEMU refuses it). */
  FULL: 0x01,
  /** A page whose bytes are all one value; a fill byte follows. */
  ZERO: 0x02,
  /** Setup record: total RAM size, then the block list. */
  MEM_SIZE: 0x04,
  /** A plain page: 4096 bytes follow. */
  PAGE: 0x08,
  /** End of this section's RAM records. */
  EOS: 0x10,
  /** Same block as the previous record: no block id follows. */
  CONTINUE: 0x20,
  XBZRLE: 0x40,
  /** Reserved (RDMA hook). */
  HOOK: 0x80,
  COMPRESS_PAGE: 0x100,
  /** AMD v4 series only (never upstream; upstream later reused 0x200): SEV data follows. */
  ENCRYPTED_DATA: 0x200,
} as const;

/** Mask of the flag bits of a RAM offset word (everything below the 4 KiB page). */
export const RAM_FLAG_MASK = 0xfff;

/** be32 subtypes after an ENCRYPTED_DATA header (QV4-11). */
export const RAM_SAVE_ENCRYPTED_PAGE = 1;
export const RAM_SAVE_SHARED_REGIONS_LIST = 2;
/** be32 tags inside the shared-regions list (QV4-10). */
export const SHARED_REGION_LIST_CONT = 1;
export const SHARED_REGION_LIST_END = 2;

/** QEMU's `check_blob_length` limit for SEV blobs read from the stream (16 KiB). */
export const SEV_FW_BLOB_MAX_SIZE = 0x4000;
/** TARGET_PAGE_SIZE on x86. */
export const TARGET_PAGE_SIZE = 4096;

/** The RAM section: `ram`, instance 0, version 4 (QEMU's `savevm_ram_handlers`). */
export const RAM_SECTION = { idstr: 'ram', instanceId: 0, versionId: 4 } as const;
/**
 * [U] lab choice: the guest's state as one device section. Real QEMU sends CPU and device
 * vmstate (registers, KVM PV MSRs); the lab's guest model keeps its kernel bookkeeping
 * (page-table C-bits, workload position) in JavaScript objects, so it travels as a JSON
 * document in a section of its own, `kvm-lab/guest` version 1.
 */
export const GUEST_SECTION = { idstr: 'kvm-lab/guest', instanceId: 0, versionId: 1 } as const;
/** [U] lab choice: section ids in registration order — the RAM section 2, the guest section 3. */
export const SECTION_ID = { ram: 2, guest: 3 } as const;
/** [U] lab choice: the machine type the configuration record names (both hosts use it). */
export const LAB_MACHINE_TYPE = 'pc-q35-6.1';

/** Names of top-level record types, for messages. */
export function qemuVmName(t: number): string {
  return (Object.entries(QemuVm) as [string, number][]).find(([, v]) => v === t)?.[0] ?? `0x${t.toString(16)}`;
}
