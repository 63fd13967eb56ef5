// The WebCrypto bulk lane gives the synchronous firmware path's bytes exactly: sealed
// packets (CTR with the carry through all 16 counter bytes, HMAC), opened packets (and
// refusals of tampered ones), and the §13 memory cipher's decryption of many pages in one
// AES-CBC call. Node 20 has globalThis.crypto.subtle, the same API as a Web Worker.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { MemoryCipher } from '../memory-cipher.js';
import { TransportKeys } from '../transport.js';
import { SyncLane, type SealJob } from './bulk-lane.js';
import { WebCryptoLane } from './web-bulk.js';

const key16 = fc.uint8Array({ minLength: 16, maxLength: 16 });
const hex = (s: string) => Uint8Array.from(Buffer.from(s, 'hex'));
const page = (seed: number) => new Uint8Array(4096).map((_, i) => (i * 31 + seed * 7) & 0xff);

describe('WebCryptoLane', () => {
  const web = WebCryptoLane.create()!;
  const sync = new SyncLane();

  it('exists in Node (globalThis.crypto.subtle)', () => {
    expect(web.kind).toBe('webcrypto');
  });

  it('seals byte-identically to the firmware path, also when the counter carries across words', async () => {
    const keys = new TransportKeys(hex('000102030405060708090a0b0c0d0e0f'), hex('101112131415161718191a1b1c1d1e1f'));
    const ivs = ['202122232425262728292a2b2c2d2e2f', '000000000000000000000000ffffffff', '0000000000000000ffffffffffffff00', 'ffffffffffffffffffffffffffffffff'];
    const jobs: SealJob[] = ivs.map((iv, i) => ({ iv: hex(iv), plaintext: i === 0 ? new Uint8Array(4096).map((_, j) => j % 251) : page(i) }));
    const [a, b] = await Promise.all([web.sealPages(keys, jobs), sync.sealPages(keys, jobs)]);
    expect(a).toEqual(b);
    // §15's packet vector.
    expect(Buffer.from(a[0].mac).toString('hex')).toBe('205bcdb1544b38ae86894a43a32cf5823f87be4f2b7964b0116eae00437fb9a6');
  });

  it('seals and opens random batches as the firmware does, refusing tampered and COMPRESSED packets', async () => {
    await fc.assert(
      fc.asyncProperty(key16, key16, fc.array(fc.tuple(key16, fc.integer({ min: 0, max: 255 })), { minLength: 1, maxLength: 6 }), async (tek, tik, items) => {
        const keys = new TransportKeys(tek, tik);
        const jobs = items.map(([iv, s]) => ({ iv, plaintext: page(s) }));
        const sealed = await web.sealPages(keys, jobs);
        expect(sealed).toEqual(await sync.sealPages(keys, jobs));
        const open = sealed.map((p, i) => {
          const hdr = new Uint8Array(52);
          hdr.set(jobs[i].iv, 4);
          hdr.set(p.mac, 20);
          return { hdr, trans: p.trans.slice() };
        });
        open[0].trans[17] ^= 0x40;
        if (open.length > 1) open[1].hdr[0] = 1;
        const [a, b] = await Promise.all([web.openPages(keys, open), sync.openPages(keys, open)]);
        expect(a).toEqual(b);
        expect(a[0].ok).toBe(false);
        a.slice(open.length > 1 ? 2 : 1).forEach((r, i) => expect(r).toEqual({ ok: true, plaintext: jobs[i + (open.length > 1 ? 2 : 1)].plaintext }));
      }),
      { numRuns: 15 },
    );
  });

  it('decrypts many pages of DRAM in one CBC call exactly as the memory cipher does', async () => {
    await fc.assert(
      fc.asyncProperty(key16, fc.array(fc.integer({ min: 0, max: 2 ** 30 }), { minLength: 1, maxLength: 9 }), async (vek, pfns) => {
        const cipher = new MemoryCipher(vek);
        const pages = pfns.map((pfn, i) => ({ spa: pfn * 4096, raw: cipher.encrypt(pfn * 4096, page(i), new Uint8Array(4096)) }));
        const got = await web.decryptPages(cipher, pages);
        expect(got).toEqual(await sync.decryptPages(cipher, pages));
        got.forEach((p, i) => expect(p).toEqual(page(i)));
      }),
      { numRuns: 20 },
    );
  });

  it('a wiped channel no longer imports keys for the lane', () => {
    const keys = new TransportKeys(new Uint8Array(16).fill(1), new Uint8Array(16).fill(2));
    expect(keys.wiped).toBe(false);
    keys.wipe();
    expect(keys.wiped).toBe(true);
  });
});
