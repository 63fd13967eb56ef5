/**
 * The raw crypto ceiling of a migration's encrypted pages: what the PSP's per-page work
 * costs with the primitives alone (workers/psp/crypto's synchronous noble-based classes,
 * no mailbox, no emulator, no stream), per side:
 *
 * - source (SEND_UPDATE_DATA): memory-cipher decrypt of the DRAM page, AES-128-CTR of the
 *   plaintext, HMAC-SHA-256 over the packet AAD ‖ ciphertext;
 * - target (RECEIVE_UPDATE_DATA): HMAC-SHA-256 verify over AAD ‖ ciphertext, AES-128-CTR,
 *   memory-cipher encrypt into DRAM.
 *
 * Each side is measured twice — with noble (the firmware's synchronous path) and with the
 * platform's WebCrypto where it has the primitive (AES-CTR and HMAC per packet, batched;
 * the memory-cipher decryption as one bulk AES-CBC decryption of the batch's bytes, the
 * core of psp/crypto/bulk/web-bulk.ts without its tweak XORs; the memory-cipher encryption
 * stays noble: WebCrypto has no unchained AES) — and the faster of the two is the ceiling.
 *
 * Pages cycle through a 16 MiB buffer of distinct bytes, each at its own address (the
 * memory cipher's tweak), so the figure is not a cache-resident best case.
 */
import { Aes128Key, bytesEqual, HmacSha256Key, MemoryCipher, PACKET_AAD_LEN } from '../../workers/psp/crypto/index.js';

const PAGE = 4096;
const POOL_PAGES = 4096;
/** Pages per batch of WebCrypto calls (as the PSP look-ahead batches them). */
const BATCH = 256;

/** Which PSP's per-page work. */
export type CeilingSide = 'send' | 'receive';

/** Runs `side`'s primitives for `pages` pages with noble; returns the wall time in ms. */
export function ceilingSideMs(side: CeilingSide, pages: number): number {
  const pool = new Uint8Array(POOL_PAGES * PAGE);
  for (let i = 0; i < pool.length; i += 4) pool[i] = (i * 2654435761) >>> 24;
  const mem = new MemoryCipher(new Uint8Array(16).fill(5));
  const tek = new Aes128Key(new Uint8Array(16).fill(3));
  const tik = new HmacSha256Key(new Uint8Array(16).fill(4));
  const aad = new Uint8Array(PACKET_AAD_LEN).fill(1);
  const iv = new Uint8Array(16);
  const buf = new Uint8Array(PAGE);
  const tag = new Uint8Array(32);
  const expect = new Uint8Array(32);
  const t0 = performance.now();
  for (let n = 0; n < pages; n++) {
    const k = n % POOL_PAGES;
    const page = pool.subarray(k * PAGE, (k + 1) * PAGE);
    const spa = 0x1_0000_0000 + n * PAGE;
    iv[12] = n >>> 24;
    iv[13] = n >>> 16;
    iv[14] = n >>> 8;
    iv[15] = n;
    if (side === 'send') {
      mem.decryptPage(spa, page, buf);
      tek.ctr(iv, buf, buf);
      tik.macInto(tag, aad, buf);
    } else {
      tik.macInto(tag, aad, page);
      bytesEqual(tag, expect); // the verify's constant-time compare
      tek.ctr(iv, page, buf);
      mem.encryptPage(spa, buf, buf);
    }
  }
  return performance.now() - t0;
}

/** One side's ceiling: the faster lane and both times (ms; web undefined without WebCrypto). */
export interface SideCeiling {
  ms: number;
  lane: 'noble' | 'webcrypto';
  nobleMs: number;
  webMs: number | undefined;
}

/**
 * Runs `side`'s primitives for `pages` pages with WebCrypto (see the header), in whole
 * batches (the time is scaled back to `pages`); ms, or undefined without WebCrypto.
 */
export async function ceilingSideWebMs(side: CeilingSide, pages: number): Promise<number | undefined> {
  const subtle = (globalThis as { crypto?: { subtle?: SubtleCrypto } }).crypto?.subtle;
  if (!subtle) return undefined;
  const raw = new Uint8Array(16).fill(3);
  const ctrKey = await subtle.importKey('raw', raw, { name: 'AES-CTR' }, false, ['encrypt', 'decrypt']);
  const cbcKey = await subtle.importKey('raw', raw, { name: 'AES-CBC' }, false, ['encrypt', 'decrypt']);
  const macKey = await subtle.importKey('raw', raw, { name: 'HMAC', hash: 'SHA-256' }, false, ['sign', 'verify']);
  const mem = new MemoryCipher(new Uint8Array(16).fill(5));
  const plain = new Uint8Array(BATCH * PAGE);
  for (let i = 0; i < plain.length; i += 4) plain[i] = (i * 2654435761) >>> 24;
  const zeroIv = new Uint8Array(16);
  // A valid CBC ciphertext of one batch (with its padding block), decrypted per send batch.
  const cbc = new Uint8Array(await subtle.encrypt({ name: 'AES-CBC', iv: zeroIv }, cbcKey, plain));
  const aadLen = PACKET_AAD_LEN;
  const msgs = Array.from({ length: BATCH }, (_, i) => {
    const m = new Uint8Array(aadLen + PAGE);
    m.set(plain.subarray(i * PAGE, (i + 1) * PAGE), aadLen);
    return m;
  });
  const tag = new Uint8Array(32);
  const t0 = performance.now();
  let done = 0;
  for (; done < pages; done += BATCH) {
    const n = BATCH;
    const ivs = Array.from({ length: n }, (_, i) => {
      const iv = new Uint8Array(16);
      new DataView(iv.buffer).setUint32(12, done + i);
      return iv;
    });
    if (side === 'send') {
      const dec = new Uint8Array(await subtle.decrypt({ name: 'AES-CBC', iv: zeroIv }, cbcKey, cbc));
      const cts = await Promise.all(ivs.map((iv, i) => subtle.encrypt({ name: 'AES-CTR', counter: iv, length: 128 }, ctrKey, dec.subarray(i * PAGE, (i + 1) * PAGE))));
      await Promise.all(
        cts.map((ct, i) => {
          msgs[i].set(new Uint8Array(ct), aadLen);
          return subtle.sign('HMAC', macKey, msgs[i]);
        }),
      );
    } else {
      await Promise.all(msgs.map((m) => subtle.verify('HMAC', macKey, tag, m)));
      const pts = await Promise.all(ivs.map((iv, i) => subtle.decrypt({ name: 'AES-CTR', counter: iv, length: 128 }, ctrKey, msgs[i].subarray(aadLen))));
      for (let i = 0; i < n; i++) {
        const p = new Uint8Array(pts[i]);
        mem.encryptPage(0x1_0000_0000 + (done + i) * PAGE, p, p);
      }
    }
  }
  return ((performance.now() - t0) * pages) / done;
}

/** Both lanes for `side` over `pages` pages; the ceiling is the faster. */
export async function sideCeiling(side: CeilingSide, pages: number): Promise<SideCeiling> {
  const nobleMs = ceilingSideMs(side, pages);
  const webMs = await ceilingSideWebMs(side, pages);
  const web = webMs !== undefined && webMs < nobleMs;
  return { ms: web ? webMs : nobleMs, lane: web ? 'webcrypto' : 'noble', nobleMs, webMs };
}
