// Session establishment end to end (§9): guest owner → LAUNCH_START, SEND_START →
// RECEIVE_START, with every failure the firmware reports, in the firmware's order.
import { describe, expect, it } from 'vitest';
import { SeededRng } from '../../core/rng.js';
import { generateOca, generatePdh, generatePek } from '../certs/platform-keys.js';
import { decodeSevCert, encodeSevCert, SEV_ALGO, SEV_USAGE, sevCertEcKey } from '../certs/sev-cert.js';
import { createSendSession, openSessionChannel } from './channel.js';
import { buildLaunchSecret, buildOwnerSession } from './guest-owner.js';
import { p384Ecdh, p384KeyPairFromRng } from './p384.js';
import { openSessionBlob } from './session.js';

const api = { apiMajor: 0, apiMinor: 24 };

function platform(seed: string): { pdh: { privateKey: Uint8Array; cert: Uint8Array } } {
  const rng = SeededRng.fromSeed(seed);
  const cek = p384KeyPairFromRng(rng);
  const oca = generateOca(rng, api);
  const pek = generatePek(rng, api, oca, cek);
  return { pdh: generatePdh(rng, api, pek) };
}

const src = platform('src');
const dst = platform('dst');
const k16 = (v: number): Uint8Array => new Uint8Array(16).fill(v);

function flip(b: Uint8Array, bit: number): Uint8Array {
  const c = b.slice();
  c[bit >> 3] ^= 1 << (bit & 7);
  return c;
}

describe('guest owner → LAUNCH_START', () => {
  const rng = SeededRng.fromSeed('owner');
  const owner = buildOwnerSession({ pdhCert: dst.pdh.cert, policy: 1, tek: k16(1), tik: k16(2), rng });
  if (!owner.ok) throw new Error(owner.reason);

  it('GODH certificate is 2084 bytes, usage PDH (0x1003), ECDH, unsigned', () => {
    const d = decodeSevCert(owner.dhCert);
    expect(d.ok).toBe(true);
    if (!d.ok) return;
    expect(d.cert.usage).toBe(SEV_USAGE.PDH);
    expect(d.cert.algo).toBe(SEV_ALGO.ECDH_SHA256);
    expect(d.cert.sig1.usage).toBe(SEV_USAGE.INVALID);
    expect(owner.session.length).toBe(128);
  });

  it('the platform opens it with its PDH and gets TEK/TIK', () => {
    const r = openSessionChannel({ pdhPrivateKey: dst.pdh.privateKey, peerCert: owner.dhCert, session: owner.session, policy: 1 });
    expect(r.ok && [r.tek, r.tik]).toEqual([k16(1), k16(2)]);
  });

  it('nonce and wrap_iv given explicitly land in the blob', () => {
    const o = buildOwnerSession({ pdhCert: dst.pdh.cert, policy: 0, tek: k16(1), tik: k16(2), nonce: k16(7), wrapIv: k16(8), rng });
    expect(o.ok && o.session.subarray(0, 16)).toEqual(k16(7));
    expect(o.ok && o.session.subarray(48, 64)).toEqual(k16(8));
  });

  it('a secret built by the owner opens under the same TEK/TIK and measurement', () => {
    const measure = new Uint8Array(48).fill(3);
    const s = buildLaunchSecret({ tek: k16(1), tik: k16(2), measure, iv: k16(4), data: new Uint8Array(32).fill(9) });
    const ch = openSessionChannel({ pdhPrivateKey: dst.pdh.privateKey, peerCert: owner.dhCert, session: owner.session, policy: 1 });
    expect(s.ok && ch.ok).toBe(true);
    if (!s.ok || !ch.ok) return;
    const r = ch.keys.openSecret(s.hdr, s.trans, measure.subarray(0, 32));
    expect(r.ok && r.plaintext).toEqual(new Uint8Array(32).fill(9));
  });

  it('owner input errors are results, not exceptions', () => {
    const a = buildOwnerSession({ pdhCert: dst.pdh.cert, policy: 0, tek: new Uint8Array(15), tik: k16(2), rng });
    expect(!a.ok && a.status).toBe('INVALID_LEN');
    const b = buildOwnerSession({ pdhCert: new Uint8Array(10), policy: 0, tek: k16(1), tik: k16(2), rng });
    expect(!b.ok && b.status).toBe('INVALID_LEN');
    const c = buildLaunchSecret({ tek: k16(1), tik: k16(2), measure: new Uint8Array(31), iv: k16(4), data: new Uint8Array(16) });
    expect(!c.ok && c.status).toBe('INVALID_LEN');
  });
});

describe('SEND_START → RECEIVE_START', () => {
  const rng = SeededRng.fromSeed('fw');
  const sent = createSendSession({ pdhPrivateKey: src.pdh.privateKey, targetPdhCert: dst.pdh.cert, policy: 0x11, rng });
  if (!sent.ok) throw new Error(sent.reason);
  const open = (over: Partial<Parameters<typeof openSessionChannel>[0]>): ReturnType<typeof openSessionChannel> =>
    openSessionChannel({ pdhPrivateKey: dst.pdh.privateKey, peerCert: src.pdh.cert, session: sent.session, policy: 0x11, ...over });

  it('the target recovers the TEK/TIK the source drew, and packets flow', () => {
    const r = open({});
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.tek).toEqual(sent.tek);
    expect(r.tik).toEqual(sent.tik);
    const { hdr, trans } = sent.keys.sealPacket(new Uint8Array(4096).fill(5), k16(6));
    const p = r.keys.openPacket(hdr, trans);
    expect(p.ok && p.plaintext).toEqual(new Uint8Array(4096).fill(5));
  });

  it('same seed, same session bytes', () => {
    const again = createSendSession({ pdhPrivateKey: src.pdh.privateKey, targetPdhCert: dst.pdh.cert, policy: 0x11, rng: SeededRng.fromSeed('fw') });
    expect(again.ok && again.session).toEqual(sent.session);
  });

  it('lengths first (INVALID_LEN), then the certificate body (INVALID_CERTIFICATE)', () => {
    const a = open({ session: sent.session.subarray(0, 127) });
    expect(!a.ok && a.status).toBe('INVALID_LEN');
    const b = open({ peerCert: new Uint8Array(2083) });
    expect(!b.ok && b.status).toBe('INVALID_LEN');
    const cert = decodeSevCert(src.pdh.cert);
    if (!cert.ok) throw new Error();
    const c = open({ peerCert: encodeSevCert({ ...cert.cert, usage: SEV_USAGE.PEK }) });
    expect(!c.ok && c.status).toBe('INVALID_CERTIFICATE');
    const d = open({ peerCert: encodeSevCert({ ...cert.cert, algo: SEV_ALGO.ECDSA_SHA256 }) });
    expect(!d.ok && d.status).toBe('INVALID_CERTIFICATE');
    const offCurve = cert.cert.pubKey.slice();
    offCurve[4] ^= 1;
    const e = open({ peerCert: encodeSevCert({ ...cert.cert, pubKey: offCurve }) });
    expect(!e.ok && e.status).toBe('INVALID_CERTIFICATE');
  });

  it('the sender PDH signature is not checked (§14.2): a re-signed-by-nobody PDH still works', () => {
    const cert = decodeSevCert(src.pdh.cert);
    if (!cert.ok) throw new Error();
    const stripped = encodeSevCert({ ...cert.cert, sig1: { ...cert.cert.sig1, sig: new Uint8Array(512) } });
    expect(open({ peerCert: stripped }).ok).toBe(true);
  });

  it('any flipped bit of NONCE, WRAP_TK, WRAP_IV or a MAC is BAD_MEASUREMENT', () => {
    // Z once (ECDH is the slow part and does not depend on the blob).
    const srcKey = decodeSevCert(src.pdh.cert);
    if (!srcKey.ok) throw new Error();
    const z = p384Ecdh(dst.pdh.privateKey, sevCertEcKey(srcKey.cert)!)!;
    expect(openSessionBlob(z, sent.session, 0x11).ok).toBe(true);
    for (let bit = 0; bit < 128 * 8; bit++) {
      const r = openSessionBlob(z, flip(sent.session, bit), 0x11);
      expect(!r.ok && r.status, `bit ${bit}`).toBe('BAD_MEASUREMENT');
    }
  });

  it('a changed policy or the wrong PDH is BAD_MEASUREMENT; WRAP_MAC is checked before POLICY_MAC', () => {
    const p = open({ policy: 0x10 });
    expect(!p.ok && p.reason).toMatch(/POLICY_MAC/);
    const w = open({ pdhPrivateKey: src.pdh.privateKey });
    expect(!w.ok && w.reason).toMatch(/WRAP_MAC/);
    const both = open({ pdhPrivateKey: src.pdh.privateKey, policy: 0x10 });
    expect(!both.ok && both.reason).toMatch(/WRAP_MAC/);
    const blob = openSessionBlob(new Uint8Array(48), sent.session.subarray(1), 0);
    expect(!blob.ok && blob.status).toBe('INVALID_LEN');
  });

  it('SEND_START body-checks the target PDH', () => {
    const r = createSendSession({ pdhPrivateKey: src.pdh.privateKey, targetPdhCert: src.pdh.cert.subarray(1), policy: 0, rng });
    expect(!r.ok && r.status).toBe('INVALID_LEN');
  });
});
