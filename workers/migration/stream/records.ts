/**
 * Writers for every record of the stream (docs/stream-format.md): QEMU's file header,
 * configuration, section headers and footers, the RAM records of migration/ram.c
 * (`save_page_header`, MEM_SIZE, ZERO, PAGE, EOS), the AMD v4 SEV records (QV4-07/10/11:
 * an ENCRYPTED_DATA header, subtype 1 with the optional SEND_START output and the PSP
 * packet, subtype 2 with the shared-regions list), EOF and the VM description.
 */
import { utf8ToBytes } from '@noble/hashes/utils.js';
import {
  LAB_MACHINE_TYPE,
  QEMU_VM_FILE_MAGIC,
  QEMU_VM_FILE_VERSION,
  QemuVm,
  RAM_SAVE_ENCRYPTED_PAGE,
  RAM_SAVE_SHARED_REGIONS_LIST,
  RamSaveFlag,
  SHARED_REGION_LIST_CONT,
  SHARED_REGION_LIST_END,
} from './format.js';
import type { StreamWriter } from './writer.js';

/** `qemu_savevm_state_header`: magic, version, then the configuration (send-configuration on). */
export function writeFileHeader(w: StreamWriter, machineType = LAB_MACHINE_TYPE): void {
  w.be32(QEMU_VM_FILE_MAGIC);
  w.be32(QEMU_VM_FILE_VERSION);
  // vmstate_configuration: be32 len, then the machine type name (no subsections).
  w.u8(QemuVm.CONFIGURATION);
  w.be32(machineType.length);
  for (let i = 0; i < machineType.length; i++) w.u8(machineType.charCodeAt(i));
}

/** A section header; START and FULL carry the idstr, instance and version. */
export function writeSectionHeader(w: StreamWriter, type: number, sectionId: number, id?: { idstr: string; instanceId: number; versionId: number }): void {
  w.u8(type);
  w.be32(sectionId);
  if ((type === QemuVm.SECTION_START || type === QemuVm.SECTION_FULL) && id) {
    w.str8(id.idstr);
    w.be32(id.instanceId);
    w.be32(id.versionId);
  }
}

/** `save_section_footer` (send-section-footer on). */
export function writeSectionFooter(w: StreamWriter, sectionId: number): void {
  w.u8(QemuVm.SECTION_FOOTER);
  w.be32(sectionId);
}

/**
 * `save_page_header`: be64 offset|flags, plus the block id when the block differs from the
 * previous record's (else the CONTINUE flag). `offset` is page aligned and `flags` below
 * 0x1000, so the sum is the OR (JS `|` would truncate to 32 bits). Returns the bytes written.
 */
export function writeRamHeader(w: StreamWriter, offset: number, flags: number, block: string, lastBlock: string | undefined): number {
  if (block === lastBlock) {
    w.be64(offset + (flags | RamSaveFlag.CONTINUE));
    return 8;
  }
  w.be64(offset + flags);
  w.str8(block);
  return 9 + block.length;
}

/** The MEM_SIZE setup record: total bytes | MEM_SIZE, then each block's idstr and used length. */
export function writeMemSize(w: StreamWriter, blocks: readonly { name: string; size: number }[]): void {
  // The total is page aligned, so adding the flag sets its bit.
  w.be64(blocks.reduce((n, b) => n + b.size, 0) + RamSaveFlag.MEM_SIZE);
  for (const b of blocks) {
    w.str8(b.name);
    w.be64(b.size);
  }
}

/** `RAM_SAVE_FLAG_EOS`. */
export function writeEos(w: StreamWriter): void {
  w.be64(RamSaveFlag.EOS);
}

/** The SEND_START output QEMU v4 writes before the first packet: be32 policy, be32 len + PDH, be32 len + session. */
export function writeSendStart(w: StreamWriter, policy: number, pdh: Uint8Array, session: Uint8Array): number {
  w.be32(policy);
  w.be32(pdh.length);
  w.bytes(pdh);
  w.be32(session.length);
  w.bytes(session);
  return 12 + pdh.length + session.length;
}

/** The subtype word of an encrypted page. */
export function writeEncryptedPageSubtype(w: StreamWriter): void {
  w.be32(RAM_SAVE_ENCRYPTED_PAGE);
}

/** `sev_send_update_data`'s output: be32 hdr_len + header, be32 trans_len + transport data. */
export function writePacket(w: StreamWriter, hdr: Uint8Array, trans: Uint8Array): number {
  w.be32(hdr.length);
  w.bytes(hdr);
  w.be32(trans.length);
  w.bytes(trans);
  return 8 + hdr.length + trans.length;
}

/** Subtype 2: {CONT, be32 gfn_start, be32 gfn_end}* END (GFNs are 32-bit on the wire, §4.6). */
export function writeSharedRegionsList(w: StreamWriter, regions: readonly { start: number; end: number }[]): number {
  w.be32(RAM_SAVE_SHARED_REGIONS_LIST);
  for (const r of regions) {
    w.be32(SHARED_REGION_LIST_CONT);
    w.be32(r.start >>> 0);
    w.be32(r.end >>> 0);
  }
  w.be32(SHARED_REGION_LIST_END);
  return 8 + 12 * regions.length;
}

/** The guest section's payload: be32 length + UTF-8 JSON. */
export function writeJsonPayload(w: StreamWriter, json: string): void {
  const b = utf8ToBytes(json);
  w.be32(b.length);
  w.bytes(b);
}

/** `QEMU_VM_EOF`, then the VM description (`QEMU_VM_VMDESCRIPTION`, be32 length, JSON). */
export function writeEofAndVmdesc(w: StreamWriter, vmdesc: string): void {
  w.u8(QemuVm.EOF);
  const b = utf8ToBytes(vmdesc);
  w.u8(QemuVm.VMDESCRIPTION);
  w.be32(b.length);
  w.bytes(b);
}

