/**
 * Issue 4's firmware figures: SEND_UPDATE_DATA and RECEIVE_UPDATE_DATA through the emulated
 * PSP's mailbox (command buffer in host memory, §5 layouts, state and policy checks, the
 * §13 memory cipher, §10 packet crypto), in 4 KiB pages, beside the raw primitives the same
 * bytes need (noble, measured in the same run), and the ratio. Target: ≥ 0.7 × raw.
 */
import { Aes128Key, HmacSha256Key, MemoryCipher } from '../../workers/psp/crypto/index.js';
import { receiveStart, startMigration } from '../../workers/psp/test-support/psp-lab.js';
import { ratePerSecond, type BenchFigure, type BenchSuite } from '../suite.js';

const PAGES = 64;
const PAGE = 4096;

/** A source guest in SUPDATE with PAGES private pages, and a target guest in RUPDATE. */
function setUp() {
  const plain = Array.from({ length: PAGES }, (_, i) => new Uint8Array(PAGE).map((_, j) => (i * 31 + j) & 0xff));
  const pair = startMigration(plain, { seed: 7 });
  const target = receiveStart(pair);
  return { src: pair.src, dst: pair.dst, handle: pair.g.handle, target, pages: pair.srcPages, dstPages: pair.srcPages.map(() => pair.dst.newPage()) };
}

export const pspFirmwareBench: BenchSuite = {
  name: 'psp firmware',
  browser: true,
  run({ where }) {
    const lab = setUp();
    const { src, dst } = lab;
    const sHdr = src.alloc(52);
    const sTrans = src.alloc(PAGE);
    // One packet per source page, sent once, for the receive loop.
    const packets = lab.pages.map((p) => {
      src.ok('SEND_UPDATE_DATA', { handle: lab.handle, hdr_paddr: sHdr, hdr_len: 52, guest_paddr: p, guest_len: PAGE, trans_paddr: sTrans, trans_len: PAGE });
      return { hdr: dst.put(src.read(sHdr, 52)), trans: dst.put(src.read(sTrans, PAGE)) };
    });
    let i = 0;
    const sendRate =
      PAGES *
      ratePerSecond(() => {
        for (const p of lab.pages) {
          src.cmd('SEND_UPDATE_DATA', { handle: lab.handle, hdr_paddr: sHdr, hdr_len: 52, guest_paddr: p, guest_len: PAGE, trans_paddr: sTrans, trans_len: PAGE });
        }
      });
    const recvRate =
      PAGES *
      ratePerSecond(() => {
        for (i = 0; i < PAGES; i++) {
          const k = packets[i];
          dst.cmd('RECEIVE_UPDATE_DATA', { handle: lab.target, hdr_paddr: k.hdr, hdr_len: 52, guest_paddr: lab.dstPages[i], guest_len: PAGE, trans_paddr: k.trans, trans_len: PAGE });
        }
      });
    // The raw ceiling: the primitives one page needs, on the same bytes, no emulator around them.
    const key = new Aes128Key(new Uint8Array(16).fill(3));
    const mac = new HmacSha256Key(new Uint8Array(16).fill(4));
    const mem = new MemoryCipher(new Uint8Array(16).fill(5));
    const buf = new Uint8Array(PAGE).fill(9);
    const out = new Uint8Array(PAGE);
    const tag = new Uint8Array(32);
    const iv = new Uint8Array(16);
    const rawSend = ratePerSecond(() => {
      mem.decryptPage(0x1000, buf, out);
      key.ctr(iv, out, out);
      mac.macInto(tag, out);
    });
    const rawRecv = ratePerSecond(() => {
      mac.macInto(tag, buf);
      key.ctr(iv, buf, out);
      mem.encryptPage(0x1000, out, out);
    });
    const figures: BenchFigure[] = [
      { name: 'SEND_UPDATE_DATA via mailbox (4 KiB pages)', where, value: sendRate, unit: 'pages/s' },
      { name: 'raw: memory decrypt + CTR + HMAC (same bytes)', where, value: rawSend, unit: 'pages/s' },
      { name: 'SEND_UPDATE_DATA / raw', where, value: sendRate / rawSend, unit: 'ratio', target: '≥ 0.7', met: sendRate / rawSend >= 0.7 },
      { name: 'RECEIVE_UPDATE_DATA via mailbox (4 KiB pages)', where, value: recvRate, unit: 'pages/s' },
      { name: 'raw: HMAC + CTR + memory encrypt (same bytes)', where, value: rawRecv, unit: 'pages/s' },
      { name: 'RECEIVE_UPDATE_DATA / raw', where, value: recvRate / rawRecv, unit: 'ratio', target: '≥ 0.7', met: recvRate / rawRecv >= 0.7 },
    ];
    return Promise.resolve(figures);
  },
};
