// Transport and secret packets (§10, §11): round trips, check order, tamper detection,
// interop with node:crypto alone, and the replay/relocation blind spot (§14.4).
import { createDecipheriv, createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { PACKET_FLAG_COMPRESSED, PACKET_HDR_LEN, TransportKeys } from './transport.js';

function seq(start: number, len: number, mod = 256): Uint8Array {
  const b = new Uint8Array(len);
  for (let i = 0; i < len; i++) b[i] = (start + i) % mod;
  return b;
}

const tek = seq(0x00, 16);
const tik = seq(0x10, 16);
const iv = seq(0x20, 16);
const keys = new TransportKeys(tek, tik);

function flip(b: Uint8Array, bit: number): Uint8Array {
  const c = b.slice();
  c[bit >> 3] ^= 1 << (bit & 7);
  return c;
}

describe('data packets', () => {
  it('open(seal(p)) = p, into a caller buffer, and seal in place matches seal', () => {
    const plain = seq(7, 4096, 251);
    const { hdr, trans } = keys.sealPacket(plain, iv);
    const out = new Uint8Array(4096);
    const r = keys.openPacket(hdr, trans, out);
    expect(r.ok && r.plaintext === out).toBe(true);
    expect(out).toEqual(plain);
    const buf = plain.slice();
    const hdr2 = new Uint8Array(PACKET_HDR_LEN);
    keys.sealPacketInPlace(buf, iv, hdr2);
    expect(buf).toEqual(trans);
    expect(hdr2).toEqual(hdr);
  });

  it('every single-bit flip of header or payload fails and writes nothing', () => {
    const plain = seq(3, 256);
    const { hdr, trans } = keys.sealPacket(plain, iv);
    const out = new Uint8Array(256).fill(0xa5);
    for (let bit = 0; bit < PACKET_HDR_LEN * 8; bit++) {
      const r = keys.openPacket(flip(hdr, bit), trans, out);
      // FLAGS bit 0 is COMPRESSED, rejected before the MAC (§10.2, §14.3).
      const want = bit === 0 ? 'UNSUPPORTED' : 'BAD_MEASUREMENT';
      expect(r.ok ? 'SUCCESS' : r.status, `header bit ${bit}`).toBe(want);
    }
    for (let bit = 0; bit < trans.length * 8; bit++) {
      const r = keys.openPacket(hdr, flip(trans, bit), out);
      expect(r.ok ? 'SUCCESS' : r.status, `payload bit ${bit}`).toBe('BAD_MEASUREMENT');
    }
    expect(out.every((b) => b === 0xa5)).toBe(true);
  });

  it('a truncated or extended payload fails (the lengths are in the AAD)', () => {
    const { hdr, trans } = keys.sealPacket(seq(0, 64), iv);
    expect(keys.openPacket(hdr, trans.subarray(0, 48)).ok).toBe(false);
    const longer = new Uint8Array(80);
    longer.set(trans);
    expect(keys.openPacket(hdr, longer).ok).toBe(false);
  });

  it('a short header is INVALID_LEN; a packet of another session is BAD_MEASUREMENT', () => {
    const { hdr, trans } = keys.sealPacket(seq(0, 32), iv);
    const short = keys.openPacket(hdr.subarray(0, 51), trans);
    expect(!short.ok && short.status).toBe('INVALID_LEN');
    const other = new TransportKeys(seq(1, 16), seq(2, 16));
    const r = other.openPacket(hdr, trans);
    expect(!r.ok && r.status).toBe('BAD_MEASUREMENT');
  });

  it('COMPRESSED is rejected even with a valid MAC (UNSUPPORTED)', () => {
    const { hdr, trans } = keys.sealPacket(seq(0, 32), iv, PACKET_FLAG_COMPRESSED);
    const r = keys.openPacket(hdr, trans);
    expect(!r.ok && r.status).toBe('UNSUPPORTED');
  });

  it('replay and relocation are NOT detected (§14.4): the same packet opens again, anywhere', () => {
    const { hdr, trans } = keys.sealPacket(seq(9, 4096), iv);
    const a = keys.openPacket(hdr, trans);
    const b = keys.openPacket(hdr, trans);
    expect(a.ok && b.ok).toBe(true);
  });

  it('interop: node:crypto alone verifies the MAC and decrypts a sealed packet', () => {
    const plain = seq(0, 4096, 251);
    const { hdr, trans } = keys.sealPacket(plain, iv);
    const flags = Buffer.from(hdr.subarray(0, 4));
    const hIv = Buffer.from(hdr.subarray(4, 20));
    const len = Buffer.alloc(4);
    len.writeUInt32LE(trans.length);
    const aad = Buffer.concat([Buffer.from([0x02]), flags, hIv, len, len]);
    expect(aad.length).toBe(29);
    const mac = createHmac('sha256', Buffer.from(tik)).update(aad).update(trans).digest();
    expect(mac.equals(Buffer.from(hdr.subarray(20, 52)))).toBe(true);
    const d = createDecipheriv('aes-128-ctr', Buffer.from(tek), hIv);
    const got = Buffer.concat([d.update(trans), d.final()]);
    expect(got.equals(Buffer.from(plain))).toBe(true);
  });
});

describe('LAUNCH_SECRET packets', () => {
  const measurement = seq(0x40, 32);
  const secret = seq(0x80, 64);

  it('round trip, and node:crypto agrees on the MAC layout', () => {
    const { hdr, trans } = keys.sealSecret(secret, iv, measurement);
    const r = keys.openSecret(hdr, trans, measurement);
    expect(r.ok && r.plaintext).toEqual(secret);
    const len = Buffer.alloc(4);
    len.writeUInt32LE(64);
    const mac = createHmac('sha256', Buffer.from(tik))
      .update(Buffer.from([0x01]))
      .update(Buffer.from(hdr.subarray(0, 4)))
      .update(Buffer.from(iv))
      .update(len)
      .update(len)
      .update(trans)
      .update(measurement)
      .digest();
    expect(mac.equals(Buffer.from(hdr.subarray(20, 52)))).toBe(true);
  });

  it('the MAC binds the measurement', () => {
    const { hdr, trans } = keys.sealSecret(secret, iv, measurement);
    const r = keys.openSecret(hdr, trans, flip(measurement, 5));
    expect(!r.ok && r.status).toBe('BAD_MEASUREMENT');
  });

  it('order: MAC before COMPRESSED (§13), header must be exactly 52 bytes', () => {
    const good = keys.sealSecret(secret, iv, measurement, PACKET_FLAG_COMPRESSED);
    const a = keys.openSecret(good.hdr, good.trans, measurement);
    expect(!a.ok && a.status).toBe('UNSUPPORTED');
    const b = keys.openSecret(flip(good.hdr, 0), good.trans, measurement);
    expect(!b.ok && b.status).toBe('BAD_MEASUREMENT');
    const long = new Uint8Array(53);
    long.set(good.hdr);
    const c = keys.openSecret(long, good.trans, measurement);
    expect(!c.ok && c.status).toBe('INVALID_LEN');
  });

  it('any flipped bit of header or ciphertext fails', () => {
    const { hdr, trans } = keys.sealSecret(secret, iv, measurement);
    for (let bit = 0; bit < PACKET_HDR_LEN * 8; bit++) {
      expect(keys.openSecret(flip(hdr, bit), trans, measurement).ok).toBe(false);
    }
    for (let bit = 0; bit < trans.length * 8; bit++) {
      expect(keys.openSecret(hdr, flip(trans, bit), measurement).ok).toBe(false);
    }
  });
});
