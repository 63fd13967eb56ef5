/**
 * Transport packets (reference §10) and LAUNCH_SECRET packets (§11) under a channel's
 * TEK/TIK. A packet is a 52-byte header — FLAGS u32 @0, IV[16] @4, MAC[32] @20 — and a
 * payload AES-128-CTR(TEK, IV) of the plaintext, same length, no padding.
 *
 * - Data/VMSA packets (SEND/RECEIVE_UPDATE_*): MAC = HMAC-SHA-256(TIK, AAD ‖ ciphertext),
 *   encrypt-then-MAC, AAD = ctx 0x02 ‖ FLAGS ‖ IV ‖ len ‖ len (29 bytes). The Genoa FW
 *   uses ctx 0x02 for VMSA packets too, so does this model. Receive order (§10.2 as far as
 *   crypto goes): header length, COMPRESSED → UNSUPPORTED, MAC → BAD_MEASUREMENT, then
 *   decrypt. Nothing is decrypted unless the MAC verifies.
 * - Secret packets (LAUNCH_SECRET): MAC = HMAC(TIK, 0x01 ‖ FLAGS ‖ IV ‖ guest_len ‖
 *   trans_len ‖ ciphertext ‖ MEASUREMENT[32]); order MAC first, then COMPRESSED (§13
 *   "order details": the opposite of RECEIVE_UPDATE_DATA).
 *
 * Teaching point, modelled on purpose: **replay, reordering and relocation are not
 * detected**, because the AAD holds no guest address, sequence number or handle (§10.1,
 * §14.4). Within one session a packet can be re-sent, dropped, duplicated or written at
 * another page and it still opens. Only a packet from another session (other TEK/TIK) fails.
 */
import { Aes128Key } from './aes.js';
import { bytesEqual, readU32LE, writeU32LE } from './bytes.js';
import { HmacSha256Key, SHA256_LEN } from './hash.js';
import { cryptoFail, type CryptoResult } from './status.js';
import { type CryptoKeyLike, type SubtleLike } from './platform-api.js';

/** Size of a packet header (§10.1). */
export const PACKET_HDR_LEN = 52;
/** FLAGS bit 0: payload compressed. The firmware never sets it and rejects it (UNSUPPORTED). */
export const PACKET_FLAG_COMPRESSED = 1;
/** Size of the data-packet AAD (§10.1). */
export const PACKET_AAD_LEN = 29;
/** Channel context bytes (FW sev_channel.h, §10.1). */
export const CHANNEL_CTX = { SECRET: 0x01, DATA: 0x02, VMSA: 0x03, MEASURE: 0x04 } as const;

/** A decoded packet header. */
export interface PacketHeader {
  flags: number;
  iv: Uint8Array;
  mac: Uint8Array;
}

/** Encodes `h` into a 52-byte header (into `out` if given). */
export function encodePacketHeader(h: PacketHeader, out: Uint8Array = new Uint8Array(PACKET_HDR_LEN)): Uint8Array {
  writeU32LE(out, 0, h.flags >>> 0);
  out.set(h.iv.subarray(0, 16), 4);
  out.set(h.mac.subarray(0, 32), 20);
  return out;
}

/** Decodes the first 52 bytes of `hdr` (copies); undefined if shorter. */
export function decodePacketHeader(hdr: Uint8Array): PacketHeader | undefined {
  if (hdr.length < PACKET_HDR_LEN) return undefined;
  return { flags: readU32LE(hdr, 0), iv: hdr.slice(4, 20), mac: hdr.slice(20, 52) };
}

/**
 * The 29-byte AAD of a data packet: ctx ‖ FLAGS ‖ IV ‖ len ‖ len (§10.1), into `out`
 * (default: new).
 */
export function packetAad(
  flags: number,
  iv: Uint8Array,
  len: number,
  ctx: number = CHANNEL_CTX.DATA,
  out: Uint8Array = new Uint8Array(PACKET_AAD_LEN),
): Uint8Array {
  const aad = out;
  aad[0] = ctx;
  writeU32LE(aad, 1, flags >>> 0);
  aad.set(iv.subarray(0, 16), 5);
  writeU32LE(aad, 21, len);
  writeU32LE(aad, 25, len);
  return aad;
}

/** A sealed packet. */
export interface SealedPacket {
  /** The 52-byte header. */
  hdr: Uint8Array;
  /** The ciphertext (transport data). */
  trans: Uint8Array;
}

function checkIv(iv: Uint8Array): void {
  if (iv.length !== 16) throw new RangeError(`packet IV must be 16 bytes, got ${iv.length}`);
}

/**
 * A channel's transport keys (TEK, TIK) with the AES schedule and HMAC state kept, for
 * sealing and opening any number of packets. LAUNCH_START without a session uses all-zero
 * keys (§9.3), which is just `new TransportKeys(zero16, zero16)`.
 */
export class TransportKeys {
  private readonly tekKey: Aes128Key;
  private readonly tikKey: HmacSha256Key;
  private readonly macScratch = new Uint8Array(SHA256_LEN);
  private readonly aadScratch = new Uint8Array(PACKET_AAD_LEN);
  /** Copies of TEK and TIK for importing into WebCrypto (bulk/), wiped with the rest. */
  private readonly raw: { tek: Uint8Array; tik: Uint8Array };
  private web: Promise<{ tek: CryptoKeyLike; tik: CryptoKeyLike }> | undefined;
  private isWiped = false;

  /** Keys from 16-byte `tek` and `tik` (copied; RangeError for other sizes). */
  constructor(tek: Uint8Array, tik: Uint8Array) {
    if (tik.length !== 16) throw new RangeError(`TIK must be 16 bytes, got ${tik.length}`);
    this.tekKey = new Aes128Key(tek);
    this.tikKey = new HmacSha256Key(tik);
    this.raw = { tek: tek.slice(), tik: tik.slice() };
  }

  /**
   * The same keys as non-extractable WebCrypto keys (AES-CTR for the TEK, HMAC-SHA-256 for
   * the TIK), imported once: the bulk page path (bulk/web-bulk.ts) seals and opens with them.
   */
  webKeys(subtle: SubtleLike): Promise<{ tek: CryptoKeyLike; tik: CryptoKeyLike }> {
    this.web ??= Promise.all([
      subtle.importKey('raw', this.raw.tek, { name: 'AES-CTR' }, false, ['encrypt', 'decrypt']),
      subtle.importKey('raw', this.raw.tik, { name: 'HMAC', hash: 'SHA-256' }, false, ['sign']),
    ]).then(([tek, tik]) => ({ tek, tik }));
    return this.web;
  }

  /** The TIK's keyed HMAC (for the launch measurement, §11). */
  get tikMac(): HmacSha256Key {
    return this.tikKey;
  }

  /**
   * SEND_UPDATE_DATA's crypto, allocation-free: encrypts `buf` (the plaintext guest bytes)
   * in place under TEK/`iv`, MACs it and writes the 52-byte header into `hdrOut`.
   */
  sealPacketInPlace(buf: Uint8Array, iv: Uint8Array, hdrOut: Uint8Array, flags = 0): void {
    checkIv(iv);
    if (hdrOut.length < PACKET_HDR_LEN) throw new RangeError('header buffer shorter than 52 bytes');
    this.tekKey.ctr(iv, buf);
    writeU32LE(hdrOut, 0, flags >>> 0);
    hdrOut.set(iv, 4);
    this.tikKey.macInto(hdrOut.subarray(20, 52), packetAad(flags, iv, buf.length, CHANNEL_CTX.DATA, this.aadScratch), buf);
  }

  /** Seals `plaintext` (not modified) into a new header and ciphertext (§10.1). */
  sealPacket(plaintext: Uint8Array, iv: Uint8Array, flags = 0): SealedPacket {
    const trans = plaintext.slice();
    const hdr = new Uint8Array(PACKET_HDR_LEN);
    this.sealPacketInPlace(trans, iv, hdr, flags);
    return { hdr, trans };
  }

  /**
   * RECEIVE_UPDATE_DATA's crypto: INVALID_LEN if `hdr` is shorter than 52 bytes;
   * UNSUPPORTED if COMPRESSED is set; BAD_MEASUREMENT if the MAC does not verify (and
   * `out` is untouched); else decrypts `trans` into `out` (default: a new array, never
   * `trans` itself, which is host memory). Length rules of §10.2 (≤ 0x5000, multiple of
   * 16, guest_len == trans_len) are the firmware's to check first.
   */
  openPacket(hdr: Uint8Array, trans: Uint8Array, out?: Uint8Array): CryptoResult<{ plaintext: Uint8Array }> {
    if (hdr.length < PACKET_HDR_LEN) return cryptoFail('INVALID_LEN', `packet header is ${hdr.length} bytes, needs 52`);
    const flags = readU32LE(hdr, 0);
    if (flags & PACKET_FLAG_COMPRESSED) return cryptoFail('UNSUPPORTED', 'COMPRESSED packets are not supported');
    const iv = hdr.subarray(4, 20);
    this.tikKey.macInto(this.macScratch, packetAad(flags, iv, trans.length, CHANNEL_CTX.DATA, this.aadScratch), trans);
    if (!bytesEqual(this.macScratch, hdr.subarray(20, 52))) {
      return cryptoFail('BAD_MEASUREMENT', 'packet MAC does not verify');
    }
    const plaintext = out ?? new Uint8Array(trans.length);
    this.tekKey.ctr(iv, trans, plaintext);
    return { ok: true, plaintext };
  }

  /** The MAC of a LAUNCH_SECRET packet (§11); `measurement` is the 32-byte MEASUREMENT. */
  secretMac(flags: number, iv: Uint8Array, trans: Uint8Array, measurement: Uint8Array): Uint8Array {
    const head = new Uint8Array(1 + 4 + 16 + 4 + 4);
    head[0] = CHANNEL_CTX.SECRET;
    writeU32LE(head, 1, flags >>> 0);
    head.set(iv.subarray(0, 16), 5);
    writeU32LE(head, 21, trans.length);
    writeU32LE(head, 25, trans.length);
    return this.tikKey.mac(head, trans, measurement.subarray(0, 32));
  }

  /** Seals a LAUNCH_SECRET packet for `secret` (guest owner's side, §11). */
  sealSecret(secret: Uint8Array, iv: Uint8Array, measurement: Uint8Array, flags = 0): SealedPacket {
    checkIv(iv);
    if (measurement.length < 32) throw new RangeError('MEASUREMENT must be at least 32 bytes');
    const trans = this.tekKey.ctr(iv, secret, new Uint8Array(secret.length));
    const hdr = encodePacketHeader({ flags, iv, mac: this.secretMac(flags, iv, trans, measurement) });
    return { hdr, trans };
  }

  /**
   * LAUNCH_SECRET's crypto (firmware side, §11, §13 order): INVALID_LEN unless `hdr` is
   * exactly 52 bytes; BAD_MEASUREMENT if the MAC (which binds `measurement`, the value
   * LAUNCH_MEASURE returned) fails; then UNSUPPORTED if COMPRESSED; then decrypts into
   * `out` (default: new).
   */
  openSecret(
    hdr: Uint8Array,
    trans: Uint8Array,
    measurement: Uint8Array,
    out?: Uint8Array,
  ): CryptoResult<{ plaintext: Uint8Array }> {
    if (hdr.length !== PACKET_HDR_LEN) return cryptoFail('INVALID_LEN', `secret header is ${hdr.length} bytes, must be 52`);
    if (measurement.length < 32) return cryptoFail('BAD_MEASUREMENT', 'no measurement to bind the secret to');
    const flags = readU32LE(hdr, 0);
    const iv = hdr.subarray(4, 20);
    if (!bytesEqual(this.secretMac(flags, iv, trans, measurement), hdr.subarray(20, 52))) {
      return cryptoFail('BAD_MEASUREMENT', 'secret MAC does not verify');
    }
    if (flags & PACKET_FLAG_COMPRESSED) return cryptoFail('UNSUPPORTED', 'COMPRESSED secrets are not supported');
    const plaintext = out ?? new Uint8Array(trans.length);
    this.tekKey.ctr(iv, trans, plaintext);
    return { ok: true, plaintext };
  }

  /** Wipes both keys (the firmware does so at LAUNCH_FINISH / *_FINISH / SEND_CANCEL, §9.3). */
  wipe(): void {
    this.tekKey.wipe();
    this.tikKey.wipe();
    this.raw.tek.fill(0);
    this.raw.tik.fill(0);
    this.web = undefined;
    this.isWiped = true;
  }

  /** True once {@link wipe} ran (a bulk result computed under these keys must not be used). */
  get wiped(): boolean {
    return this.isWiped;
  }
}
