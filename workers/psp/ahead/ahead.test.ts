// The PSP's look-ahead changes nothing but speed: with or without prepareSend /
// prepareReceive (on the WebCrypto lane and on the synchronous one), SEND_UPDATE_DATA and
// RECEIVE_UPDATE_DATA give the same statuses, packets, DRAM bytes, TRNG draws and events —
// also when the guest writes a prepared page, a predicted page is skipped, a packet is
// tampered with, or the channel closes in between.
import { describe, expect, it } from 'vitest';
import { type EngineEvent } from '../../core/events.js';
import { SyncLane, type BulkLane } from '../crypto/bulk/bulk-lane.js';
import { WebCryptoLane } from '../crypto/bulk/web-bulk.js';
import { GUEST_RAM, PspLab } from '../test-support/psp-lab.js';

const C_BIT = 1n << 47n;
const PAGES = 8;
const pageAt = (i: number) => GUEST_RAM + 0x10_0000 + i * 4096;
const lanes: [string, () => BulkLane][] = [
  ['webcrypto', () => WebCryptoLane.create()!],
  ['sync', () => new SyncLane()],
];

/** Events without their sequence numbers (both runs must log the same things). */
const trace = (log: readonly EngineEvent[]) => log.map((e) => ({ t: e.t, kind: e.kind, payload: e.payload }));

interface SendRun {
  packets: string[];
  statuses: number[];
  events: unknown[];
  next: string;
  stats?: unknown;
}

/** A sending guest with PAGES pages of DRAM; optionally prepares `predict`, then sends `order`. */
async function sendRun(opts: { lane?: BulkLane; predict?: number[]; order: number[]; between?: (lab: PspLab) => void }): Promise<SendRun> {
  const lab = new PspLab({ seed: 9 });
  lab.init();
  const g = lab.guestIn('SUPDATE', { policy: 0 });
  for (let i = 0; i < PAGES; i++) lab.hw.memory.write(pageAt(i), new Uint8Array(4096).map((_, j) => (i * 37 + j) & 0xff));
  const hdr = lab.alloc(52);
  const trans = lab.alloc(4096);
  if (opts.lane && opts.predict) {
    lab.psp.ahead.lane = opts.lane;
    await lab.psp.ahead.prepareSend(g.handle, opts.predict.map(pageAt));
  }
  opts.between?.(lab);
  const packets: string[] = [];
  const statuses: number[] = [];
  for (const i of opts.order) {
    const r = lab.cmd('SEND_UPDATE_DATA', { handle: g.handle, hdr_paddr: hdr, hdr_len: 52, guest_paddr: BigInt(pageAt(i)) | C_BIT, guest_len: 4096, trans_paddr: trans, trans_len: 4096 });
    statuses.push(r.status);
    packets.push(Buffer.from(lab.read(hdr, 52)).toString('hex') + Buffer.from(lab.read(trans, 4096)).toString('hex'));
  }
  return { packets, statuses, events: trace(lab.log.slice(0)), next: Buffer.from(lab.rng.bytes(4)).toString('hex'), stats: lab.psp.ahead.stats().send };
}

describe.each(lanes)('PSP look-ahead on the %s lane', (_name, lane) => {
  it('SEND_UPDATE_DATA: prepared packets are taken and are the same bytes, events and virtual times', async () => {
    const order = [0, 1, 2, 3, 4, 5, 6, 7];
    const plain = await sendRun({ order });
    const ahead = await sendRun({ lane: lane(), predict: order, order });
    expect(ahead.packets).toEqual(plain.packets);
    expect(ahead.statuses).toEqual(plain.statuses);
    expect(ahead.events).toEqual(plain.events);
    expect(ahead.next).toEqual(plain.next);
    expect(ahead.stats).toMatchObject({ prepared: 8, hits: 8, misses: 0 });
  });

  it('SEND_UPDATE_DATA: a page the guest wrote after the prepare, and a skipped prediction, miss and still match', async () => {
    const write = (lab: PspLab) => lab.hw.memory.write(pageAt(2), new Uint8Array(4096).fill(0x5a));
    const plain = await sendRun({ order: [0, 2, 3, 4], between: write });
    const ahead = await sendRun({ lane: lane(), predict: [0, 2, 3, 4], order: [0, 2, 3, 4], between: write });
    expect(ahead.packets).toEqual(plain.packets);
    expect(ahead.stats).toMatchObject({ hits: 3, misses: 1 });
    // Page 1 predicted but never sent: the IVs of everything after it moved on.
    const skipped = await sendRun({ lane: lane(), predict: [0, 1, 2, 3], order: [0, 2, 3] });
    expect(skipped.packets).toEqual((await sendRun({ order: [0, 2, 3] })).packets);
    expect(skipped.stats).toMatchObject({ hits: 1 });
  });

  it('RECEIVE_UPDATE_DATA: prepared packets give the same DRAM and events; a tampered one still fails', async () => {
    const run = async (prepare: boolean) => {
      const lab = new PspLab({ seed: 4, host: 'dst' });
      lab.init();
      const g = lab.guestIn('RUPDATE', { policy: 0 });
      const packets = Array.from({ length: PAGES }, (_, i) => g.keys.sealPacket(new Uint8Array(4096).map((_, j) => (i + j * 3) & 0xff), new Uint8Array(16).fill(i + 1)));
      packets[3].trans[100] ^= 1;
      if (prepare) {
        lab.psp.ahead.lane = lane();
        await lab.psp.ahead.prepareReceive(g.handle, packets.map((p, i) => ({ spa: pageAt(i), hdr: p.hdr, trans: p.trans })));
      }
      const statuses = packets.map((p, i) =>
        lab.cmd('RECEIVE_UPDATE_DATA', { handle: g.handle, hdr_paddr: lab.put(p.hdr), hdr_len: 52, guest_paddr: BigInt(pageAt(i)) | C_BIT, guest_len: 4096, trans_paddr: lab.put(p.trans), trans_len: 4096 }).status,
      );
      const dram = packets.map((_, i) => Buffer.from(lab.read(pageAt(i), 4096)).toString('hex'));
      return { statuses, dram, events: trace(lab.log.slice(0)), stats: lab.psp.ahead.stats().receive };
    };
    const plain = await run(false);
    const ahead = await run(true);
    expect(ahead.statuses).toEqual(plain.statuses);
    expect(plain.statuses[3]).not.toBe(0);
    expect(ahead.dram).toEqual(plain.dram);
    expect(ahead.events).toEqual(plain.events);
    expect(ahead.stats).toMatchObject({ prepared: 7, hits: 7 });
  });

  it('nothing is prepared for a guest that is not sending, and a closed channel drops what was prepared', async () => {
    const lab = new PspLab({ seed: 2 });
    lab.init();
    lab.psp.ahead.lane = lane();
    const running = lab.guestIn('RUNNING');
    expect(await lab.psp.ahead.prepareSend(running.handle, [pageAt(0)])).toBe(0);
    const g = lab.guestIn('SUPDATE');
    expect(await lab.psp.ahead.prepareSend(g.handle, [pageAt(0), pageAt(1)])).toBe(2);
    lab.ok('SEND_CANCEL', { handle: g.handle });
    expect(lab.psp.ahead.send.queued).toBe(0);
  });
});
