// Every known-answer vector of reference §15, from kat-vectors.json.
import { bytesToHex, hexToBytes } from '@noble/hashes/utils.js';
import { describe, expect, it } from 'vitest';
import { Aes128Key } from './aes.js';
import { hmacSha256, sha256 } from './hash.js';
import { deriveSessionKeys, sevKdf } from './kdf.js';
import { launchMeasureBlob, launchMeasurement, verifyLaunchMeasureBlob } from './measurement.js';
import { p384Ecdh, p384PublicKey } from './p384.js';
import { buildSessionBlob, openSessionBlob, parseSessionBlob, policyMac } from './session.js';
import { packetAad, TransportKeys } from './transport.js';
import kat from './kat-vectors.json';

const h = hexToBytes;
const hex = bytesToHex;

function seq(start: number, len: number, mod = 256): Uint8Array {
  const b = new Uint8Array(len);
  for (let i = 0; i < len; i++) b[i] = (start + i) % mod;
  return b;
}

describe('§15 KDF and MACs', () => {
  it('KDF(0, sev-master-secret, 0) matches', () => {
    const v = kat.kdf;
    expect(hex(sevKdf(h(v.key), v.label, h(v.context), v.len))).toBe(v.out);
  });

  it('HMAC(0, policy 0) = POLICY_MAC for TIK 0', () => {
    const v = kat.hmacZeroPolicy;
    expect(hex(hmacSha256(h(v.key), h(v.msg)))).toBe(v.mac);
    expect(hex(policyMac(h(v.key), 0))).toBe(v.mac);
  });

  it('KDF longer than one block concatenates counter blocks', () => {
    const a = sevKdf(h(kat.kdf.key), 'x', new Uint8Array(0), 40);
    expect(a.length).toBe(40);
    // Different L gives different output (L is part of every block).
    expect(hex(a.subarray(0, 16))).not.toBe(hex(sevKdf(h(kat.kdf.key), 'x', new Uint8Array(0), 16)));
  });
});

describe('§15 session blobs', () => {
  it('zero session (16-byte zero Z): KEK, KIK, WRAP_TK, WRAP_MAC, POLICY_MAC', () => {
    const v = kat.sessionZero;
    const keys = deriveSessionKeys(h(v.z), h(v.nonce));
    expect(hex(keys.kek)).toBe(v.kek);
    expect(hex(keys.kik)).toBe(v.kik);
    const blob = buildSessionBlob(h(v.z), { tek: h(v.tek), tik: h(v.tik), nonce: h(v.nonce), wrapIv: h(v.wrapIv) }, v.policy);
    const f = parseSessionBlob(blob)!;
    expect(hex(f.wrapTk)).toBe(v.wrapTk);
    expect(hex(f.wrapMac)).toBe(v.wrapMac);
    expect(hex(f.policyMac)).toBe(v.policyMac);
  });

  it('session from a fixed Z: master, KEK, KIK and the whole 128-byte blob', () => {
    const v = kat.sessionFixedZ;
    expect(hex(h(v.z))).toBe(hex(seq(0x30, 48)));
    const keys = deriveSessionKeys(h(v.z), h(v.nonce));
    expect(hex(keys.master)).toBe(v.master);
    expect(hex(keys.kek)).toBe(v.kek);
    expect(hex(keys.kik)).toBe(v.kik);
    const secrets = { tek: h(v.tek), tik: h(v.tik), nonce: h(v.nonce), wrapIv: h(v.wrapIv) };
    const blob = buildSessionBlob(h(v.z), secrets, 0);
    expect(hex(blob)).toBe(v.blob);
    const f = parseSessionBlob(blob)!;
    expect(hex(f.wrapTk)).toBe(v.wrapTk);
    expect(hex(f.wrapMac)).toBe(v.wrapMac);
    expect(hex(f.policyMac)).toBe(v.policyMac);
    expect(hex(parseSessionBlob(buildSessionBlob(h(v.z), secrets, 1))!.policyMac)).toBe(v.policyMacPolicy1);
  });

  it('the firmware side opens the KAT blob and recovers TEK/TIK', () => {
    const v = kat.sessionFixedZ;
    const r = openSessionBlob(h(v.z), h(v.blob), 0);
    expect(r.ok).toBe(true);
    if (r.ok) {
      expect(hex(r.tek)).toBe(v.tek);
      expect(hex(r.tik)).toBe(v.tik);
    }
  });
});

describe('§15 measurement', () => {
  it('MEASUREMENT matches (api 0.18, build 15, policy 0, empty digest)', () => {
    const v = kat.measurement;
    expect(hex(sha256())).toBe(v.digest);
    const m = { apiMajor: v.apiMajor, apiMinor: v.apiMinor, build: v.build, policy: v.policy, digest: h(v.digest), mnonce: h(v.mnonce) };
    expect(hex(launchMeasurement(h(v.tik), m))).toBe(v.measurement);
    const blob = launchMeasureBlob(h(v.tik), m);
    expect(hex(blob)).toBe(v.measurement + v.mnonce);
    expect(verifyLaunchMeasureBlob(h(v.tik), blob, m)).toBe(true);
    expect(verifyLaunchMeasureBlob(h(v.tik), blob, { ...m, policy: 1 })).toBe(false);
  });
});

describe('§15 transport packet', () => {
  const v = kat.packet;
  const plain = seq(v.plaintext.seq, v.plaintext.len, v.plaintext.mod);

  it('AAD, ciphertext and MAC match', () => {
    expect(hex(packetAad(v.flags, h(v.iv), plain.length))).toBe(v.aad);
    const keys = new TransportKeys(h(v.tek), h(v.tik));
    const { hdr, trans } = keys.sealPacket(plain, h(v.iv), v.flags);
    expect(hex(trans.subarray(0, 32))).toBe(v.ciphertextHead);
    expect(hex(trans.subarray(4064, 4096))).toBe(v.ciphertextTail);
    expect(hex(sha256(trans))).toBe(v.ciphertextSha256);
    expect(hex(hdr)).toBe('00000000' + v.iv + v.mac);
  });

  it('the counter carries across 32-bit words (128-bit big-endian counter)', () => {
    const c = kat.counterCarry;
    const aes = new Aes128Key(h(v.tek));
    const ks = aes.ctr(h(c.iv), new Uint8Array(32));
    const second = aes.encryptBlocks(h(c.secondCounterBlock), new Uint8Array(16));
    expect(hex(ks.subarray(16))).toBe(hex(second));
  });
});

describe('§15 ECDH', () => {
  it('Z = X(dA·dB·G) both ways', () => {
    const v = kat.ecdh;
    const zAB = p384Ecdh(h(v.dA), p384PublicKey(h(v.dB)));
    const zBA = p384Ecdh(h(v.dB), p384PublicKey(h(v.dA)));
    expect(hex(zAB!)).toBe(v.z);
    expect(hex(zBA!)).toBe(v.z);
  });
});
