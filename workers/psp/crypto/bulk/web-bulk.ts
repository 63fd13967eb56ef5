/**
 * The bulk page lane on WebCrypto (bulk-lane.ts): AES-CTR with a 128-bit counter
 * (`length: 128`, so the carry runs through all 16 bytes as §10.1 and §15 require) and
 * HMAC-SHA-256 per packet, and the §13 memory cipher's decryption of many pages in **one**
 * AES-CBC decryption call.
 *
 * Why CBC: WebCrypto has no ECB, but CBC decryption computes `O_i = D(X_i) ⊕ X_{i-1}`
 * for every block in bulk. Feeding it `X_i = C_i ⊕ T_i` (DRAM ciphertext ⊕ the block's
 * tweak) gives the memory cipher's plaintext `P_i = D(X_i) ⊕ T_i = O_i ⊕ X_{i-1} ⊕ T_i`.
 * WebCrypto also strips PKCS#7 padding, so one extra block `E(X_last ⊕ 16×0x10)` is
 * appended: it decrypts to a full padding block and is dropped. (Encryption has no such
 * trick — CBC encryption chains — so the target's memory *writes* stay on the synchronous
 * engine; see docs/ARCHITECTURE.md.)
 */
import { bytesEqual, readU32LE } from '../bytes.js';
import { type MemoryCipher } from '../memory-cipher.js';
import { platformSubtle, type SubtleLike } from '../platform-api.js';
import { CHANNEL_CTX, PACKET_AAD_LEN, PACKET_FLAG_COMPRESSED, PACKET_HDR_LEN, packetAad, type TransportKeys } from '../transport.js';
import { type BulkLane, type OpenedPage, type OpenJob, type RawPage, type SealedPage, type SealJob } from './bulk-lane.js';

const PAGE = 4096;
const ZERO_IV = new Uint8Array(16);
const PAD_BLOCK = new Uint8Array(16).fill(16);

/** AAD ‖ ciphertext, the HMAC input of a data packet. */
function macInput(iv: Uint8Array, trans: Uint8Array): Uint8Array {
  const msg = new Uint8Array(PACKET_AAD_LEN + trans.length);
  packetAad(0, iv, trans.length, CHANNEL_CTX.DATA, msg.subarray(0, PACKET_AAD_LEN));
  msg.set(trans, PACKET_AAD_LEN);
  return msg;
}

/** The bulk lane on `crypto.subtle`. */
export class WebCryptoLane implements BulkLane {
  readonly kind = 'webcrypto';

  private constructor(private readonly subtle: SubtleLike) {}

  /**
   * A lane on this platform's WebCrypto, or undefined where there is none (or on a
   * big-endian machine: the tweak XOR works on native words, as memory-cipher.ts does).
   */
  static create(): WebCryptoLane | undefined {
    const subtle = platformSubtle();
    const littleEndian = new Uint8Array(Uint32Array.of(1).buffer)[0] === 1;
    return subtle && littleEndian ? new WebCryptoLane(subtle) : undefined;
  }

  async sealPages(keys: TransportKeys, jobs: readonly SealJob[]): Promise<SealedPage[]> {
    const { tek, tik } = await keys.webKeys(this.subtle);
    return Promise.all(
      jobs.map(async (j) => {
        const trans = new Uint8Array(await this.subtle.encrypt({ name: 'AES-CTR', counter: j.iv, length: 128 }, tek, j.plaintext));
        const mac = new Uint8Array(await this.subtle.sign('HMAC', tik, macInput(j.iv, trans)));
        return { trans, mac };
      }),
    );
  }

  async openPages(keys: TransportKeys, jobs: readonly OpenJob[]): Promise<OpenedPage[]> {
    const { tek, tik } = await keys.webKeys(this.subtle);
    return Promise.all(
      jobs.map(async (j): Promise<OpenedPage> => {
        if (j.hdr.length < PACKET_HDR_LEN || readU32LE(j.hdr, 0) & PACKET_FLAG_COMPRESSED) return { ok: false };
        const iv = j.hdr.slice(4, 20);
        // Both at once; the plaintext is dropped unread when the MAC fails.
        const [mac, plain] = await Promise.all([
          this.subtle.sign('HMAC', tik, macInput(iv, j.trans)),
          this.subtle.decrypt({ name: 'AES-CTR', counter: iv, length: 128 }, tek, j.trans),
        ]);
        const plaintext = new Uint8Array(plain);
        if (!bytesEqual(new Uint8Array(mac), j.hdr.subarray(20, 52))) {
          plaintext.fill(0);
          return { ok: false };
        }
        return { ok: true, plaintext };
      }),
    );
  }

  async decryptPages(cipher: MemoryCipher, pages: readonly RawPage[]): Promise<Uint8Array[]> {
    if (pages.length === 0) return [];
    const blocks = pages.length * (PAGE / 16);
    const x = new Uint8Array(blocks * 16 + 16);
    const xw = new Uint32Array(x.buffer, 0, blocks * 4);
    const tw = new Uint32Array(blocks * 4);
    pages.forEach((p, i) => {
      if (p.raw.length !== PAGE || p.spa % PAGE !== 0) throw new RangeError('bulk decrypt takes whole, aligned pages');
      x.set(p.raw, i * PAGE);
      cipher.pageTweaks(p.spa, tw.subarray(i * 1024, (i + 1) * 1024));
    });
    for (let w = 0; w < xw.length; w++) xw[w] ^= tw[w];
    const pad = x.subarray(blocks * 16);
    for (let i = 0; i < 16; i++) pad[i] = x[blocks * 16 - 16 + i] ^ PAD_BLOCK[i];
    cipher.rawEncryptBlocks(pad);
    const key = await cipher.webKey(this.subtle);
    const out = new Uint8Array(await this.subtle.decrypt({ name: 'AES-CBC', iv: ZERO_IV }, key, x));
    const ow = new Uint32Array(out.buffer, 0, blocks * 4);
    // P_i = O_i ⊕ X_{i-1} ⊕ T_i (X_{-1} is the zero IV).
    for (let w = 0; w < 4; w++) ow[w] ^= tw[w];
    for (let w = 4; w < ow.length; w++) ow[w] ^= xw[w - 4] ^ tw[w];
    return pages.map((_, i) => out.subarray(i * PAGE, (i + 1) * PAGE));
  }
}
