/**
 * SEND → RECEIVE between two hosts (reference §8.3, §9, §10, §14), tampering with any
 * bit of a packet (fast-check picks the bit), and the instructor's key log.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { hexToBytes } from '@noble/hashes/utils.js';
import { TransportKeys } from './crypto/index.js';
import { type EngineEvent } from '../core/events.js';
import { parseKeyLog } from './key-log.js';
import { statusName } from './status.js';
import { PspLab, receiveStart, startMigration, type Fixture } from './test-support/psp-lab.js';

const PAGES = 4;

interface Migration {
  src: PspLab;
  dst: PspLab;
  g: Fixture;
  target: number;
  /** Target pages (system addresses), one per source page. */
  dstPages: number[];
  packets: { hdr: Uint8Array; trans: Uint8Array }[];
  plain: Uint8Array[];
}

/** Launches a guest of PAGES pages on src, sends it, and opens a receiving guest on dst (not finished). */
function migrate(opts: { instructor?: boolean; seed?: number } = {}): Migration {
  const plain = Array.from({ length: PAGES }, (_, i) => new Uint8Array(4096).map((_, j) => (j * (i + 3)) & 0xff));
  const pair = startMigration(plain, opts);
  const { src, g } = pair;
  const packets = pair.srcPages.map((p) => {
    const hdr = src.alloc(52);
    const trans = src.alloc(4096);
    src.ok('SEND_UPDATE_DATA', { handle: g.handle, hdr_paddr: hdr, hdr_len: 52, guest_paddr: p, guest_len: 4096, trans_paddr: trans, trans_len: 4096 });
    return { hdr: src.read(hdr, 52), trans: src.read(trans, 4096) };
  });
  src.ok('SEND_FINISH', { handle: g.handle });
  const target = receiveStart(pair);
  const dstPages = pair.srcPages.map(() => pair.dst.newPage());
  return { src, dst: pair.dst, g, target, dstPages, packets, plain };
}

function receive(m: Migration, i: number, pkt = m.packets[i], page = m.dstPages[i]): number {
  return m.dst.cmd('RECEIVE_UPDATE_DATA', {
    handle: m.target,
    hdr_paddr: m.dst.put(pkt.hdr),
    hdr_len: 52,
    guest_paddr: page,
    guest_len: 4096,
    trans_paddr: m.dst.put(pkt.trans),
    trans_len: 4096,
  }).status;
}

describe('migration (§10)', () => {
  it('the target guest sees what the source guest saw; DRAM bytes differ (unrelated VEKs)', () => {
    const m = migrate();
    m.packets.forEach((_, i) => expect(statusName(receive(m, i))).toBe('SUCCESS'));
    m.dst.ok('RECEIVE_FINISH', { handle: m.target });
    const srcView = m.src.psp.guestView(m.g.handle)!;
    const dstView = m.dst.psp.guestView(m.target)!;
    m.dstPages.forEach((p, i) => {
      expect(dstView.read(p, 4096)).toEqual(m.plain[i]);
      expect(dstView.read(p, 4096)).toEqual(srcView.read(i === 0 ? m.g.page : m.g.page + 4096 * i, 4096));
      expect(m.dst.read(p, 4096)).not.toEqual(m.plain[i]);
    });
    expect(m.dst.psp.status().guests[0]).toMatchObject({ stateName: 'RUNNING', asid: 7, activation: 'active' });
    expect(m.dst.hw.isAsidValid(7)).toBe(true);
  });

  it('any single flipped bit of header or payload → BAD_MEASUREMENT (FLAGS bit 0 → UNSUPPORTED), target memory unchanged', () => {
    const m = migrate();
    const page = m.dstPages[0];
    const before = m.dst.read(page, 4096);
    fc.assert(
      fc.property(fc.integer({ min: 0, max: (52 + 4096) * 8 - 1 }), (bit) => {
        const hdr = m.packets[0].hdr.slice();
        const trans = m.packets[0].trans.slice();
        const [buf, k] = bit < 52 * 8 ? [hdr, bit] : [trans, bit - 52 * 8];
        buf[k >> 3] ^= 1 << (k & 7);
        const status = statusName(receive(m, 0, { hdr, trans }));
        expect(status).toBe(bit === 0 ? 'UNSUPPORTED' : 'BAD_MEASUREMENT');
        expect(m.dst.read(page, 4096)).toEqual(before);
      }),
      { numRuns: 120, seed: 7 },
    );
    for (const bit of [0, 8, 4 * 8, 20 * 8, 51 * 8 + 7, 52 * 8, (52 + 4095) * 8 + 7]) {
      const hdr = m.packets[0].hdr.slice();
      const trans = m.packets[0].trans.slice();
      const [buf, k] = bit < 52 * 8 ? [hdr, bit] : [trans, bit - 52 * 8];
      buf[k >> 3] ^= 1 << (k & 7);
      expect(statusName(receive(m, 0, { hdr, trans }))).toBe(bit === 0 ? 'UNSUPPORTED' : 'BAD_MEASUREMENT');
    }
    expect(m.dst.read(page, 4096)).toEqual(before);
  });

  it('replay, reordering and relocation within a session are not detected (§14.4); another session is', () => {
    const m = migrate();
    expect(statusName(receive(m, 1, m.packets[1], m.dstPages[0]))).toBe('SUCCESS');
    expect(statusName(receive(m, 1, m.packets[1], m.dstPages[0]))).toBe('SUCCESS');
    expect(m.dst.psp.guestView(m.target)!.read(m.dstPages[0], 4096)).toEqual(m.plain[1]);
    const other = migrate({ seed: 50 });
    expect(statusName(receive(m, 0, other.packets[0]))).toBe('BAD_MEASUREMENT');
  });

  it('RECEIVE_FINISH checks nothing: pages never sent stay garbage through the new key (§14.5)', () => {
    const m = migrate();
    expect(statusName(receive(m, 0))).toBe('SUCCESS');
    m.dst.ok('RECEIVE_FINISH', { handle: m.target });
    expect(m.dst.psp.guestView(m.target)!.read(m.dstPages[1], 16)).not.toEqual(new Uint8Array(16));
  });

  it('a stale target PDH (PDH_GEN after export) makes RECEIVE_START fail with BAD_MEASUREMENT (§14.7)', () => {
    const src = new PspLab({ seed: 5 });
    const dst = new PspLab({ seed: 6 });
    src.init();
    dst.init();
    const oldPdh = dst.pdhCert();
    dst.ok('PDH_GEN');
    const g = src.guestIn('RUNNING');
    const session = src.alloc(128);
    src.ok('SEND_START', { handle: g.handle, pdh_cert_paddr: src.put(oldPdh), pdh_cert_len: 2084, session_paddr: session, session_len: 128 });
    const r = dst.cmd('RECEIVE_START', { pdh_cert_paddr: dst.put(src.pdhCert()), pdh_cert_len: 2084, session_paddr: dst.put(src.read(session, 128)), session_len: 128 });
    expect(statusName(r.status)).toBe('BAD_MEASUREMENT');
  });

  it('instructor mode logs TEK/TIK per send session; they open the captured packets; nothing else leaks them', () => {
    const m = migrate({ instructor: true });
    const log = m.src.psp.keyLog()!;
    expect(log.split('\n')[0]).toMatch(/^# kvm-lab SEV key log v1/);
    const recs = parseKeyLog(log);
    expect(recs.map((r) => r.label)).toEqual(['SEV_TEK', 'SEV_TIK']);
    const keys = new TransportKeys(hexToBytes(recs[0].key), hexToBytes(recs[1].key));
    const opened = keys.openPacket(m.packets[2].hdr, m.packets[2].trans);
    expect(opened.ok && opened.plaintext).toEqual(m.plain[2]);
    const events = JSON.stringify(m.src.log.slice());
    expect(events).not.toContain(recs[0].key);
    expect(events).not.toContain(recs[1].key);
    expect(m.dst.psp.keyLog()).toBeUndefined();
    expect(migrate().src.psp.keyLog()).toBeUndefined();
  });

  it('every mailbox command is one psp.command event and advances virtual time (~400 pages/s for SEND_UPDATE_DATA)', () => {
    const m = migrate();
    const ev = m.src.log.slice().filter((e): e is EngineEvent<'psp.command'> => e.kind === 'psp.command');
    expect(ev.length).toBe(m.src.log.length);
    const sends = ev.filter((e) => e.payload.cmd === 'SEND_UPDATE_DATA');
    expect(sends).toHaveLength(PAGES);
    const perPage = sends[0].payload.costNs;
    expect(1e9 / perPage).toBeGreaterThanOrEqual(350);
    expect(1e9 / perPage).toBeLessThanOrEqual(450);
    expect(m.src.clock.now()).toBe(ev.reduce((t, e) => t + e.payload.costNs, 0));
    expect(ev.find((e) => e.payload.cmd === 'LAUNCH_START')!.payload).toMatchObject({ id: 0x30, handle: m.g.handle, status: 'SUCCESS' });
  });
});
