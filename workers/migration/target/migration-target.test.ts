/**
 * The incoming side on its own: a real `-incoming` host, and the test as the source on the
 * other end of the wire (the only way the two sides talk). Bad input — a truncated or
 * corrupted stream, an unknown record type, a blob over its limit, a malformed guest
 * state — fails the load with QEMU's two lines, the offset and the record, resets the
 * connection and exits the target (KVM tears the SEV VM down, its monitor is closed);
 * nothing throws. A valid plain stream completes.
 */
import { describe, expect, it } from 'vitest';
import { VirtualClock } from '../../core/clock.js';
import { EventLog } from '../../core/event-log.js';
import { SeededRng } from '../../core/rng.js';
import dflt from '../../scenarios/migration-default.json' with { type: 'json' };
import { parseSevBootParams } from '../../machines/sev-boot/params.js';
import { LabHost } from '../lab-host.js';
import { GUEST_SECTION, QemuVm, RAM_SECTION, RamSaveFlag, SECTION_ID } from '../stream/format.js';
import { writeEofAndVmdesc, writeEos, writeFileHeader, writeJsonPayload, writeMemSize, writeRamHeader, writeSectionFooter, writeSectionHeader } from '../stream/records.js';
import { StreamWriter } from '../stream/writer.js';
import { Wire } from '../wire.js';

function incoming() {
  const clock = new VirtualClock();
  const log = new EventLog(clock);
  const guest = parseSevBootParams(dflt.params.guest, 'guest');
  const dst = new LabHost('dst', log, SeededRng.fromSeed(3), { host: { ...guest, incoming: true }, incoming: 'listen' }, () => 'no route');
  const wire = new Wire({ bandwidth: 1e9, latencyNs: 1e5 });
  dst.target.attach(wire.b, 'test');
  while (dst.rt.host.queue.length) dst.step();
  const blocks = dst.rt.host.vmm.ram.blocks.map((b) => ({ name: b.name, size: b.size })).sort((a, b) => b.size - a.size);
  /** Sends `bytes` in chunks of `chunk`, then FIN (or nothing), and runs the target until it is done. */
  const feed = (bytes: Uint8Array, chunk = 65536, fin = true): void => {
    let t = dst.rt.clock.now();
    wire.a.out.send({ type: 'syn' }, t);
    for (let o = 0; o < bytes.length; o += chunk) t = wire.a.out.send({ type: 'data', bytes: bytes.slice(o, o + chunk), offset: o }, t).returnsAt;
    if (fin) wire.a.out.send({ type: 'fin' }, t);
    for (let i = 0; i < 10_000 && dst.nextTime() !== Infinity && dst.target.status !== 'failed'; i++) dst.step();
  };
  const consoleLines = (): string[] => log.slice().flatMap((e) => (e.kind === 'console.line' ? [(e.payload as { text: string }).text] : []));
  return { dst, wire, blocks, feed, log, consoleLines };
}

/** A plain stream for the target's blocks; `tweak` writes inside its RAM section. */
function plainStream(blocks: { name: string; size: number }[], tweak?: (w: StreamWriter) => void, guest = '{"version":1}'): Uint8Array {
  const w = new StreamWriter();
  writeFileHeader(w);
  writeSectionHeader(w, QemuVm.SECTION_START, SECTION_ID.ram, RAM_SECTION);
  writeMemSize(w, blocks);
  writeEos(w);
  writeSectionFooter(w, SECTION_ID.ram);
  writeSectionHeader(w, QemuVm.SECTION_END, SECTION_ID.ram);
  writeRamHeader(w, 0x100000, RamSaveFlag.PAGE, 'pc.ram', undefined);
  w.bytes(new Uint8Array(4096).fill(0x41));
  tweak?.(w);
  writeEos(w);
  writeSectionFooter(w, SECTION_ID.ram);
  writeSectionHeader(w, QemuVm.SECTION_FULL, SECTION_ID.guest, GUEST_SECTION);
  writeJsonPayload(w, guest);
  writeSectionFooter(w, SECTION_ID.guest);
  writeEofAndVmdesc(w, '{}');
  return w.take();
}

function expectFailed(t: ReturnType<typeof incoming>, detail: RegExp, errno: string): void {
  expect(t.dst.target.status).toBe('failed');
  expect(t.dst.target.error).toMatch(detail);
  const lines = t.consoleLines();
  expect(lines.at(-2)).toBe(`qemu-system-x86_64: ${t.dst.target.error}`);
  expect(lines.at(-1)).toBe(`qemu-system-x86_64: load of migration failed: ${errno}`);
  expect(t.dst.rt.host.vmm.runstate).toBe('shutdown');
  // The connection was reset, so a source would notice.
  let rst = false;
  for (let e = t.wire.a.in.poll(Infinity); e; e = t.wire.a.in.poll(Infinity)) rst ||= e.msg.type === 'rst';
  expect(rst).toBe(true);
  // The process exited, so KVM tore the SEV VM down: no firmware context was ever made (no
  // encrypted record, no RECEIVE_START), so no DEACTIVATE / DECOMMISSION; the ASID KVM_SEV_INIT
  // took waits for KVM's next WBINVD + DF_FLUSH.
  const events = t.log.slice();
  const destroy = events.filter((e) => e.kind === 'kvm.vm-destroy');
  expect(destroy.map((e) => e.payload)).toEqual([{ sev: true, asid: 1, handle: 0, psp: [], asidState: 'reclaim', note: 'no firmware context (handle 0): no DEACTIVATE / DECOMMISSION' }]);
  const pspAfter = events.filter((e) => e.kind === 'psp.command' && e.seq > events.find((x) => x.kind === 'migration.error')!.seq);
  expect(pspAfter).toEqual([]);
  expect(t.dst.rt.host.vmm.vm.destroyed).toBe(true);
  expect(t.dst.monitor('info migrate').text).toBe('Error: qemu-system-x86_64 on dst has exited; the monitor connection is closed');
}

describe('the incoming side with bad input', () => {
  it('a truncated stream: the end of stream inside a record, named with its offset', { timeout: 60_000 }, () => {
    const t = incoming();
    const s = plainStream(t.blocks);
    t.feed(s.subarray(0, 140), 7);
    expectFailed(t, /^end of stream: the stream ended at offset 140 inside the PAGE record that starts at offset 125$/, 'Input/output error');
    expect(t.log.slice().find((e) => e.kind === 'migration.error')!.payload).toMatchObject({ side: 'target', offset: expect.any(Number) as number });
  });

  it('a corrupted stream (bad magic) and an unknown record type', { timeout: 60_000 }, () => {
    const a = incoming();
    const s = plainStream(a.blocks);
    s[0] ^= 0xff;
    a.feed(s);
    expectFailed(a, /^Not a migration stream \(stream offset 0 = 0x0, record: file header\)$/, 'Invalid argument');
    const b = incoming();
    b.feed(plainStream(b.blocks, (w) => w.be64(0x2000 + 0x800)));
    expectFailed(b, /^Unknown combination of migration flags: 0x800 \(stream offset \d+ = 0x[0-9a-f]+, record: RAM record header\)$/, 'Invalid argument');
  });

  it('a blob over its 16 KiB limit is refused before it is read', { timeout: 60_000 }, () => {
    const t = incoming();
    t.feed(plainStream(t.blocks, (w) => (w.be64(0x3000 + RamSaveFlag.ENCRYPTED_DATA + RamSaveFlag.CONTINUE), w.be32(1), w.be32(1), w.be32(0x10000))));
    expectFailed(t, /^invalid length max=16384 got=65536: Failed to load encrypted data \(stream offset \d+ = 0x[0-9a-f]+, record: encrypted page \(with SEND_START output\)\)$/, 'Invalid argument');
  });

  it('a malformed guest state is refused with the device named', { timeout: 60_000 }, () => {
    const t = incoming();
    t.feed(plainStream(t.blocks, undefined, '{"version":1,"kernel":{"boots":"x"},"shared":[],"msrs":{}}'));
    expectFailed(t, /^error while loading state for instance 0x0 of device 'kvm-lab\/guest': kernel: boots and kernelStart must be numbers \(stream offset \d+ = 0x[0-9a-f]+, record: kvm-lab\/guest state\)$/, 'Invalid argument');
  });

  it('a second connection is refused, and a host not listening refuses the first', { timeout: 60_000 }, () => {
    const t = incoming();
    t.feed(new Uint8Array(0), 1, false);
    t.wire.a.out.send({ type: 'syn' }, t.dst.rt.clock.now());
    for (let i = 0; i < 100 && t.dst.nextTime() !== Infinity; i++) t.dst.step();
    const types: string[] = [];
    for (let e = t.wire.a.in.poll(Infinity); e; e = t.wire.a.in.poll(Infinity)) types.push(e.msg.type === 'rst' ? `rst ${e.msg.reason}` : e.msg.type);
    expect(types).toEqual(['syn-ack', 'rst Connection refused']);
  });
});

describe('the incoming side with a valid plain stream', () => {
  it('loads the page raw, reads the guest state, completes and runs the guest', { timeout: 60_000 }, () => {
    const t = incoming();
    const state = { version: 1, kernel: { boots: 1, sevActive: true, migrationFlag: true, notifyEnabled: true, splitFrames: [], kernelStart: 0 }, shared: [[256, 1]], workload: null, msrs: {} };
    t.feed(plainStream(t.blocks, undefined, JSON.stringify(state)), 4096 + 3);
    expect(t.dst.target.status).toBe('completed');
    expect(t.dst.rt.host.vmm.runstate).toBe('running');
    const b = t.dst.rt.host.vmm.ram.block('pc.ram');
    expect(t.dst.rt.host.hw.memory.read(b.spa + 0x100000, 4)).toEqual(new Uint8Array([0x41, 0x41, 0x41, 0x41]));
    expect(t.dst.rt.host.pageStates.has(256, 0x01 | 0x40)).toBe(true);
  });
});
