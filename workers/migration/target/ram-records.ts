/**
 * One RAM record of a RAM section, read and applied (QEMU 6.x ram.c `ram_load_precopy`,
 * `ram_block_from_stream`, `host_from_ram_block_offset`; AMD v4 `load_encrypted_data`,
 * `sev_load_incoming_page`, `sev_load_incoming_shared_regions_list`, `check_blob_length`;
 * reference §4.6, §4.7). Every field is read before anything is applied.
 *
 * [U] lab choices: COMPRESS_PAGE and XBZRLE records are refused (the lab's source never
 * sends them); the shared-regions list must end with the END tag (QEMU stops at any
 * other tag silently); blob-length errors read "invalid length max=16384 got=N".
 */
import { RamSaveFlag, SEV_FW_BLOB_MAX_SIZE, RAM_SAVE_ENCRYPTED_PAGE, RAM_SAVE_SHARED_REGIONS_LIST, SHARED_REGION_LIST_CONT, SHARED_REGION_LIST_END, TARGET_PAGE_SIZE } from '../stream/format.js';
import type { StreamReader } from '../stream/reader.js';
import type { LoadBlock, LoadSink } from './load-sink.js';

/** The RAM loader's running state and counters. */
export interface RamCursor {
  lastBlock: LoadBlock | undefined;
  records: number;
  pages: number;
  encrypted: number;
  normal: number;
  zero: number;
  /** Set after a RECEIVE_START: the loader returns so the handshake is a step of its own. */
  pause: boolean;
}

const PAGE_KINDS = RamSaveFlag.ZERO | RamSaveFlag.PAGE | RamSaveFlag.COMPRESS_PAGE | RamSaveFlag.XBZRLE | RamSaveFlag.ENCRYPTED_DATA;

/** Reads and applies one record; true when it was RAM_SAVE_FLAG_EOS (the section's RAM ends). */
export function readRamRecord(r: StreamReader, sink: LoadSink, c: RamCursor, fail: (detail: string) => never, at: () => number, name: (n: string) => void): boolean {
  name('RAM record header');
  const word = r.be64();
  if (word === Infinity) fail('Illegal RAM offset (offset word at or above 2^53)');
  const flags = word % TARGET_PAGE_SIZE;
  const addr = word - flags;
  const kind = flags & ~RamSaveFlag.CONTINUE;
  if (kind === RamSaveFlag.MEM_SIZE) {
    name('MEM_SIZE block list');
    let total = addr;
    while (total > 0) {
      const id = r.str8();
      const len = r.be64();
      const b = sink.block(id);
      if (!b) fail(`Unknown ramblock "${id}", cannot accept migration`);
      if (len !== b.size) fail(`Length mismatch: ${id}: 0x${len.toString(16)} in != 0x${b.size.toString(16)}`);
      if (len > total) fail('RAM block lengths exceed the MEM_SIZE total');
      total -= len;
    }
    c.records++;
    return false;
  }
  if (kind === RamSaveFlag.EOS) {
    c.records++;
    return true;
  }
  if ((kind & PAGE_KINDS) === 0) fail(`Unknown combination of migration flags: 0x${flags.toString(16)}`);
  let block: LoadBlock | undefined;
  if (flags & RamSaveFlag.CONTINUE) {
    block = c.lastBlock;
    if (!block) fail('Ack, bad migration stream!');
  } else {
    const id = r.str8();
    block = sink.block(id);
    if (!block) fail(`Can't find block ${id}`);
  }
  if (addr >= block.size) fail(`Illegal RAM offset ${addr.toString(16)}`);
  c.lastBlock = block;
  switch (kind) {
    case RamSaveFlag.ZERO: {
      name('ZERO page');
      const fill = r.u8();
      apply(sink.plainPage(block, addr, fill, undefined), fail);
      c.zero++;
      c.pages++;
      break;
    }
    case RamSaveFlag.PAGE: {
      name('PAGE record');
      const data = r.bytes(TARGET_PAGE_SIZE);
      apply(sink.plainPage(block, addr, 0, data), fail);
      c.normal++;
      c.pages++;
      break;
    }
    case RamSaveFlag.ENCRYPTED_DATA:
      encrypted(r, sink, c, block, addr, fail, at, name);
      break;
    case RamSaveFlag.COMPRESS_PAGE:
    case RamSaveFlag.XBZRLE:
      fail(`kvm-lab does not model ${kind === RamSaveFlag.XBZRLE ? 'XBZRLE' : 'COMPRESS_PAGE'} records`);
      break;
    default:
      fail(`Unknown combination of migration flags: 0x${flags.toString(16)}`);
  }
  c.records++;
  return false;
}

function blobLength(r: StreamReader, fail: (d: string) => never): number {
  const n = r.be32();
  if (n > SEV_FW_BLOB_MAX_SIZE) fail(`invalid length max=${SEV_FW_BLOB_MAX_SIZE} got=${n}: Failed to load encrypted data`);
  return n;
}

function apply(err: string | undefined, fail: (d: string) => never): void {
  if (err) fail(err);
}

function encrypted(r: StreamReader, sink: LoadSink, c: RamCursor, block: LoadBlock, addr: number, fail: (d: string) => never, at: () => number, name: (n: string) => void): void {
  const subtype = r.be32();
  if (subtype === RAM_SAVE_SHARED_REGIONS_LIST) {
    name('shared-regions list');
    const list: { start: number; end: number }[] = [];
    for (let tag = r.be32(); tag !== SHARED_REGION_LIST_END; tag = r.be32()) {
      if (tag !== SHARED_REGION_LIST_CONT) fail(`shared-regions list: unknown tag ${tag}`);
      const start = r.be32();
      list.push({ start, end: r.be32() });
    }
    apply(sink.sharedRegions(list, at()), fail);
    return;
  }
  if (subtype !== RAM_SAVE_ENCRYPTED_PAGE) fail(`unknown encrypted flag ${subtype.toString(16)}: Failed to load encrypted data`);
  name('encrypted page');
  let start: { policy: number; pdh: Uint8Array; session: Uint8Array } | undefined;
  if (sink.needsStart()) {
    name('encrypted page (with SEND_START output)');
    const policy = r.be32();
    const pdh = r.bytes(blobLength(r, fail));
    const session = r.bytes(blobLength(r, fail));
    start = { policy, pdh, session };
  }
  const hdr = r.bytes(blobLength(r, fail));
  const trans = r.bytes(blobLength(r, fail));
  if (start) {
    apply(sink.receiveStart(start.policy, start.pdh, start.session), fail);
    c.pause = true;
  }
  apply(sink.encryptedPage(block, addr, hdr, trans), fail);
  c.encrypted++;
  c.pages++;
}
