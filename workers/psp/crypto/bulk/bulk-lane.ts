/**
 * The PSP's bulk page lane: the crypto of many SEND_UPDATE_DATA / RECEIVE_UPDATE_DATA
 * pages at once (reference §10.1 packets, §13 memory cipher), asynchronous so that a
 * platform's native crypto (WebCrypto: AES-CTR, HMAC-SHA-256, and AES-CBC decryption for
 * bulk inverse-cipher blocks) can do the work on its own threads while the firmware stays
 * synchronous. The firmware never waits for a lane: the PSP's look-ahead (psp/ahead/)
 * fills a memo from it before the mailbox commands run, and each command checks that its
 * inputs are the memo's before taking the result (else it computes as always).
 *
 * Every lane gives exactly the bytes of the synchronous path (TransportKeys, MemoryCipher)
 * for the same keys, IVs and pages — tested — so which lane ran never shows in a stream,
 * a log or guest memory. {@link SyncLane} is that path wrapped in promises: the reference,
 * and the lane where WebCrypto is missing.
 */
import { PACKET_HDR_LEN, type TransportKeys } from '../transport.js';
import { type MemoryCipher } from '../memory-cipher.js';

/** Plaintext guest bytes to seal under `iv` (flags 0, context DATA: SEND_UPDATE_DATA's packet). */
export interface SealJob {
  readonly plaintext: Uint8Array;
  readonly iv: Uint8Array;
}

/** A sealed packet's transport data and MAC (the header is FLAGS 0 ‖ IV ‖ MAC). */
export interface SealedPage {
  readonly trans: Uint8Array;
  readonly mac: Uint8Array;
}

/** A packet to open: its 52-byte header and transport data. */
export interface OpenJob {
  readonly hdr: Uint8Array;
  readonly trans: Uint8Array;
}

/** An opened packet: the plaintext, or `ok: false` for anything RECEIVE_UPDATE_DATA would refuse. */
export type OpenedPage = { readonly ok: true; readonly plaintext: Uint8Array } | { readonly ok: false };

/** DRAM bytes of a page of a guest, and where they are. */
export interface RawPage {
  readonly spa: number;
  readonly raw: Uint8Array;
}

/** A way to run the page crypto of many packets at once. */
export interface BulkLane {
  /** `webcrypto` or `sync`, for the bench and the log of a run's setup. */
  readonly kind: string;
  /** Seals each job (AES-128-CTR under TEK from its IV, then HMAC-SHA-256 under TIK of AAD ‖ ciphertext). */
  sealPages(keys: TransportKeys, jobs: readonly SealJob[]): Promise<SealedPage[]>;
  /** Verifies and decrypts each packet (no plaintext is returned for a packet whose MAC fails). */
  openPages(keys: TransportKeys, jobs: readonly OpenJob[]): Promise<OpenedPage[]>;
  /** Decrypts whole pages of DRAM bytes through the §13 memory cipher. */
  decryptPages(cipher: MemoryCipher, pages: readonly RawPage[]): Promise<Uint8Array[]>;
}

/** The synchronous path (noble) behind the lane interface. */
export class SyncLane implements BulkLane {
  readonly kind = 'sync';

  sealPages(keys: TransportKeys, jobs: readonly SealJob[]): Promise<SealedPage[]> {
    return Promise.resolve(
      jobs.map((j) => {
        const trans = j.plaintext.slice();
        const hdr = new Uint8Array(PACKET_HDR_LEN);
        keys.sealPacketInPlace(trans, j.iv, hdr);
        return { trans, mac: hdr.slice(20, 52) };
      }),
    );
  }

  openPages(keys: TransportKeys, jobs: readonly OpenJob[]): Promise<OpenedPage[]> {
    return Promise.resolve(
      jobs.map((j): OpenedPage => {
        const r = keys.openPacket(j.hdr, j.trans);
        return r.ok ? { ok: true, plaintext: r.plaintext } : { ok: false };
      }),
    );
  }

  decryptPages(cipher: MemoryCipher, pages: readonly RawPage[]): Promise<Uint8Array[]> {
    return Promise.resolve(pages.map((p) => cipher.decrypt(p.spa, p.raw, new Uint8Array(p.raw.length))));
  }
}
