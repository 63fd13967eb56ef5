/**
 * The loader on synthetic streams (docs/stream-format.md): a valid stream gives the same
 * records however it is split into chunks; every kind of bad input raises one LoadError
 * with QEMU's message, the offset of the record and its name — never another exception.
 */
import { describe, expect, it } from 'vitest';
import { GUEST_SECTION, QemuVm, RAM_SECTION, RamSaveFlag, SECTION_ID } from '../stream/format.js';
import { writeEofAndVmdesc, writeEos, writeFileHeader, writeJsonPayload, writeMemSize, writePacket, writeRamHeader, writeSectionFooter, writeSectionHeader, writeSendStart, writeSharedRegionsList } from '../stream/records.js';
import { StreamReader } from '../stream/reader.js';
import { StreamWriter } from '../stream/writer.js';
import { LoadError, type LoadBlock, type LoadSink } from './load-sink.js';
import { StreamLoader } from './stream-loader.js';

const BLOCKS = [
  { name: 'pc.ram', size: 0x1000000 },
  { name: 'system.flash0', size: 0x37c000 },
];

class Recorder implements LoadSink {
  calls: string[] = [];
  started = false;
  block(name: string): LoadBlock | undefined {
    const b = BLOCKS.find((x) => x.name === name);
    return b ? { name, hva: 0, size: b.size } : undefined;
  }
  needsStart(): boolean {
    return !this.started;
  }
  plainPage(b: LoadBlock, off: number, fill: number, data?: Uint8Array): undefined {
    this.calls.push(`${data ? 'page' : 'zero'} ${b.name}+${off.toString(16)} ${data ? data[0] : fill}`);
    return undefined;
  }
  receiveStart(policy: number, pdh: Uint8Array, session: Uint8Array): undefined {
    this.started = true;
    this.calls.push(`start ${policy} ${pdh.length} ${session.length}`);
    return undefined;
  }
  encryptedPage(b: LoadBlock, off: number, hdr: Uint8Array, trans: Uint8Array): undefined {
    this.calls.push(`enc ${b.name}+${off.toString(16)} ${hdr.length}/${trans.length} ${trans[0]}`);
    return undefined;
  }
  sharedRegions(r: { start: number; end: number }[]): undefined {
    this.calls.push(`list ${r.map((x) => `${x.start}-${x.end}`).join(',')}`);
    return undefined;
  }
  device(idstr: string, payload: Uint8Array): undefined {
    this.calls.push(`device ${idstr} ${payload.length}`);
    return undefined;
  }
}

/** A small valid stream; `tweak` may write extra or wrong bytes at the marked place. */
function stream(tweak?: (w: StreamWriter) => void): Uint8Array {
  const w = new StreamWriter();
  writeFileHeader(w);
  writeSectionHeader(w, QemuVm.SECTION_START, SECTION_ID.ram, RAM_SECTION);
  writeMemSize(w, BLOCKS);
  writeEos(w);
  writeSectionFooter(w, SECTION_ID.ram);
  writeSectionHeader(w, QemuVm.SECTION_PART, SECTION_ID.ram);
  writeRamHeader(w, 0, RamSaveFlag.ZERO, 'pc.ram', undefined);
  w.u8(0);
  writeRamHeader(w, 0x1000, RamSaveFlag.PAGE, 'pc.ram', 'pc.ram');
  w.bytes(new Uint8Array(4096).fill(7));
  writeRamHeader(w, 0x2000, RamSaveFlag.ENCRYPTED_DATA, 'pc.ram', 'pc.ram');
  w.be32(1);
  writeSendStart(w, 1, new Uint8Array(2084), new Uint8Array(128));
  writePacket(w, new Uint8Array(52), new Uint8Array(4096).fill(9));
  tweak?.(w);
  writeEos(w);
  writeSectionFooter(w, SECTION_ID.ram);
  writeSectionHeader(w, QemuVm.SECTION_END, SECTION_ID.ram);
  writeRamHeader(w, 0, RamSaveFlag.ENCRYPTED_DATA, 'system.flash0', 'pc.ram');
  w.be32(1);
  writePacket(w, new Uint8Array(52), new Uint8Array(4096).fill(3));
  writeRamHeader(w, 0, RamSaveFlag.ENCRYPTED_DATA, 'system.flash0', 'system.flash0');
  writeSharedRegionsList(w, [{ start: 10, end: 12 }]);
  writeEos(w);
  writeSectionFooter(w, SECTION_ID.ram);
  writeSectionHeader(w, QemuVm.SECTION_FULL, SECTION_ID.guest, GUEST_SECTION);
  writeJsonPayload(w, '{"version":1}');
  writeSectionFooter(w, SECTION_ID.guest);
  writeEofAndVmdesc(w, '{}');
  return w.take();
}

function load(bytes: Uint8Array, cuts: number[] = []): { calls: string[]; done: boolean } {
  const r = new StreamReader();
  const sink = new Recorder();
  const l = new StreamLoader(r, sink);
  let at = 0;
  for (const c of [...cuts, bytes.length]) {
    r.push(bytes.subarray(at, c));
    at = c;
    for (let p = l.run(1_000_000); p === 'budget' || p === 'pause'; p = l.run(1_000_000));
  }
  return { calls: sink.calls, done: l.done };
}

function loadError(bytes: Uint8Array): LoadError {
  try {
    load(bytes);
  } catch (e) {
    if (e instanceof LoadError) return e;
    throw e;
  }
  throw new Error('no error');
}

const EXPECTED = ['zero pc.ram+0 0', 'page pc.ram+1000 7', 'start 1 2084 128', 'enc pc.ram+2000 52/4096 9', 'enc system.flash0+0 52/4096 3', 'list 10-12', 'device kvm-lab/guest 13'];

describe('the stream loader', () => {
  it('reads every record of a valid stream, in order', () => {
    expect(load(stream())).toEqual({ calls: EXPECTED, done: true });
  });

  it('gives the same records for any split into chunks (here: every byte a chunk, and random cuts)', () => {
    const s = stream();
    expect(load(s, Array.from({ length: s.length - 1 }, (_, i) => i + 1)).calls).toEqual(EXPECTED);
    let seed = 7;
    const cuts: number[] = [];
    for (let at = 0; ; ) {
      seed = (seed * 1103515245 + 12345) & 0x7fffffff;
      at += 1 + (seed % 9000);
      if (at >= s.length) break;
      cuts.push(at);
    }
    expect(load(s, cuts).calls).toEqual(EXPECTED);
  });

  it('a truncated stream just waits for more (the target turns the end of stream into an error)', () => {
    const s = stream();
    // 60 bytes short: the stream stops inside the RAM section's footer, after the list.
    const r = load(s.subarray(0, s.length - 60));
    expect(r.done).toBe(false);
    expect(r.calls).toEqual(EXPECTED.slice(0, 6));
  });

  const corrupt = (at: number, v: number): Uint8Array => {
    const s = stream();
    s[at] = v;
    return s;
  };
  /** Offset of the first section footer (after the setup's MEM_SIZE and EOS). */
  const firstFooter = (): number => {
    const w = new StreamWriter();
    writeFileHeader(w);
    writeSectionHeader(w, QemuVm.SECTION_START, SECTION_ID.ram, RAM_SECTION);
    writeMemSize(w, BLOCKS);
    writeEos(w);
    return w.offset;
  };

  it.each([
    ['bad magic', () => corrupt(0, 0x00), 0, 'file header', 'Not a migration stream'],
    ['version 2', () => corrupt(7, 2), 0, 'file header', "SaveVM v2 format is obsolete and don't work anymore"],
    ['version 9', () => corrupt(7, 9), 0, 'file header', 'Unsupported migration stream version'],
    ['no configuration', () => corrupt(8, 0x01), 0, 'configuration', 'Configuration section missing'],
    ['other machine type', () => corrupt(13, 0x71), 0, 'configuration', "Machine type received is 'qc-q35-6.1' and local is 'pc-q35-6.1'"],
    ['unknown section type', () => corrupt(23, 0x42), 23, 'section header', 'Unknown savevm section type 66 (0x42)'],
    ['unknown section idstr', () => corrupt(29, 0x73), 23, 'section header', "Unknown savevm section or instance 'sam' 0. Make sure that your current VM setup matches your saved VM setup, including any hotplugged devices"],
    ['newer section version', () => corrupt(39, 5), 23, 'section header', "savevm: unsupported version 5 for 'ram' v4"],
  ])('%s → LoadError', (_, make, offset, record, message) => {
    const e = loadError(make());
    expect({ offset: e.offset, record: e.record, detail: e.detail }).toEqual({ offset, record, detail: message });
    expect(e.message).toBe(`${message} (stream offset ${offset} = 0x${offset.toString(16)}, record: ${record})`);
  });

  it.each([
    ['unknown flags', (w: StreamWriter) => w.be64(0x3000 + 0x400), 'Unknown combination of migration flags: 0x400', 'RAM record header'],
    ['ZERO and PAGE at once', (w: StreamWriter) => w.be64(0x3000 + 0x0a + 0x20), 'Unknown combination of migration flags: 0x2a', 'RAM record header'],
    ['XBZRLE', (w: StreamWriter) => w.be64(0x3000 + 0x40 + 0x20), 'kvm-lab does not model XBZRLE records', 'RAM record header'],
    ['offset past the block', (w: StreamWriter) => (w.be64(0x1000000 + 0x08 + 0x20), w.bytes(new Uint8Array(4096))), 'Illegal RAM offset 1000000', 'RAM record header'],
    ['unknown block', (w: StreamWriter) => (w.be64(0x3000 + 0x08), w.str8('vga.vram')), "Can't find block vga.vram", 'RAM record header'],
    ['unknown encrypted subtype', (w: StreamWriter) => (w.be64(0x3000 + 0x220), w.be32(3)), 'unknown encrypted flag 3: Failed to load encrypted data', 'RAM record header'],
    ['header blob over 16 KiB', (w: StreamWriter) => (w.be64(0x3000 + 0x220), w.be32(1), w.be32(0x4001)), 'invalid length max=16384 got=16385: Failed to load encrypted data', 'encrypted page'],
    ['bad tag in the shared list', (w: StreamWriter) => (w.be64(0x220), w.be32(2), w.be32(1), w.be32(1), w.be32(2), w.be32(7)), 'shared-regions list: unknown tag 7', 'shared-regions list'],
  ])('%s inside a RAM section → LoadError naming the record', (_, tweak, message, record) => {
    let at = -1;
    const bad = stream((w) => {
      at = w.offset;
      tweak(w);
    });
    const e = loadError(bad);
    expect(e.detail).toBe(message);
    expect(e.record).toBe(record);
    expect(e.offset).toBe(at);
  });

  it('a missing or mismatched footer', () => {
    const s = stream();
    const foot = firstFooter();
    const a = s.slice();
    a[foot] = 0x01;
    expect(loadError(a).detail).toBe('Missing section footer for ram');
    const b = s.slice();
    b[foot + 4] = 9;
    expect(loadError(b).detail).toBe('Mismatched section id in footer for ram -- read 0x9 expected 0x2');
  });

  it('CONTINUE before any block was named', () => {
    const w = new StreamWriter();
    writeFileHeader(w);
    writeSectionHeader(w, QemuVm.SECTION_START, SECTION_ID.ram, RAM_SECTION);
    w.be64(0x1000 + RamSaveFlag.PAGE + RamSaveFlag.CONTINUE);
    expect(loadError(w.take()).detail).toBe('Ack, bad migration stream!');
  });

  it('a MEM_SIZE block list that does not match the receiver', () => {
    const w = new StreamWriter();
    writeFileHeader(w);
    writeSectionHeader(w, QemuVm.SECTION_START, SECTION_ID.ram, RAM_SECTION);
    writeMemSize(w, [{ name: 'pc.ram', size: 0x2000000 }]);
    expect(loadError(w.take()).detail).toBe('Length mismatch: pc.ram: 0x2000000 in != 0x1000000');
    const v = new StreamWriter();
    writeFileHeader(v);
    writeSectionHeader(v, QemuVm.SECTION_START, SECTION_ID.ram, RAM_SECTION);
    writeMemSize(v, [{ name: 'pc.rom', size: 0x20000 }]);
    expect(loadError(v.take()).detail).toBe('Unknown ramblock "pc.rom", cannot accept migration');
  });
});
