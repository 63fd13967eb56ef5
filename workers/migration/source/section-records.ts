/**
 * The records that open and close the stream around the pages (reference §4.6, §4.8,
 * §5.4). The start: the file header, the configuration, and the RAM section's setup
 * (`ram_save_setup`: SECTION_START `ram`, the MEM_SIZE block list, EOS, footer).
 *
 * The end: after the last dirty pages of the
 * SECTION_END, the AMD v4 series sends the shared-regions list once (`ram_save_complete`
 * → `ram_save_shared_region_list`: a RAM header with offset 0 and ENCRYPTED_DATA on the
 * last seen block, subtype 2, the list), then RAM's EOS and footer; then the device state
 * (the lab's `kvm-lab/guest` SECTION_FULL), QEMU_VM_EOF and the VM description.
 */
import { GUEST_SECTION, QemuVm, RAM_SECTION, RamSaveFlag, SECTION_ID } from '../stream/format.js';
import { writeEofAndVmdesc, writeEos, writeFileHeader, writeJsonPayload, writeMemSize, writeRamHeader, writeSectionFooter, writeSectionHeader, writeSharedRegionsList } from '../stream/records.js';
import type { StreamWriter } from '../stream/writer.js';
import { saveGuestState } from '../guest-state.js';
import type { HostRuntime } from '../host/host-runtime.js';
import type { MigrationBitmap } from './dirty-bitmap.js';

/** The start of the stream; returns the RAM blocks announced. */
export function writeSetup(w: StreamWriter, bitmap: MigrationBitmap): { name: string; size: number }[] {
  writeFileHeader(w);
  writeSectionHeader(w, QemuVm.SECTION_START, SECTION_ID.ram, RAM_SECTION);
  const blocks = bitmap.blocks.map((b) => ({ name: b.name, size: b.size }));
  writeMemSize(w, blocks);
  writeEos(w);
  writeSectionFooter(w, SECTION_ID.ram);
  return blocks;
}

/** Writes the tail of the stream; returns the bytes written. */
export function writeTail(rt: HostRuntime, w: StreamWriter, lastBlock: string | undefined): number {
  const start = w.offset;
  const vmm = rt.host.vmm;
  const regions = vmm.shared.regions();
  const listOffset = w.offset;
  // rs->last_seen_block: the block of the last record, so the header carries CONTINUE.
  writeRamHeader(w, 0, RamSaveFlag.ENCRYPTED_DATA, lastBlock ?? 'pc.ram', lastBlock);
  writeSharedRegionsList(w, regions);
  rt.emit('migration.shared-regions', {
    side: 'source',
    regions: regions.length,
    pages: vmm.shared.normalized().reduce((n, r) => n + r.end - r.start, 0),
    list: regions.slice(0, 32).map((r) => `0x${r.start.toString(16)}-0x${r.end.toString(16)}`),
    streamOffset: listOffset,
  });
  writeEos(w);
  writeSectionFooter(w, SECTION_ID.ram);
  const devOffset = w.offset;
  const state = saveGuestState(rt.host);
  writeSectionHeader(w, QemuVm.SECTION_FULL, SECTION_ID.guest, GUEST_SECTION);
  writeJsonPayload(w, state);
  writeSectionFooter(w, SECTION_ID.guest);
  rt.emit('migration.device', { side: 'source', idstr: GUEST_SECTION.idstr, bytes: state.length, streamOffset: devOffset });
  const vmdesc = JSON.stringify({
    page_size: 4096,
    devices: [{ name: GUEST_SECTION.idstr, instance_id: 0, vmsd_name: GUEST_SECTION.idstr, version: GUEST_SECTION.versionId, fields: [{ name: 'state', type: 'buffer', size: state.length + 4 }] }],
  });
  writeEofAndVmdesc(w, vmdesc);
  return w.offset - start;
}
