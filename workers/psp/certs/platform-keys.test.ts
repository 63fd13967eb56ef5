// The platform key hierarchy (§8.1): generation from a seeded RNG, signatures that
// verify, PEK_CSR and every PEK_CERT_IMPORT rejection.
import { describe, expect, it } from 'vitest';
import { SeededRng } from '../../core/rng.js';
import {
  deriveCek,
  generateOca,
  generatePdh,
  generatePek,
  pekCertImport,
  pekCsr,
  signPekCsr,
  unsignedCekCert,
  type PlatformKey,
} from './platform-keys.js';
import { decodeSevCert, encodeSevCert, SEV_USAGE, sevCertEcKey, verifySevCertSignedBy, type SevCert } from './sev-cert.js';

const api = { apiMajor: 1, apiMinor: 55 };

function cert(k: PlatformKey | Uint8Array): SevCert {
  const d = decodeSevCert(k instanceof Uint8Array ? k : k.cert);
  if (!d.ok) throw new Error(d.reason);
  return d.cert;
}

function hierarchy(seed: string): { oca: PlatformKey; pek: PlatformKey; pdh: PlatformKey; cek: ReturnType<typeof deriveCek> } {
  const rng = SeededRng.fromSeed(seed);
  const cek = deriveCek(new Uint8Array(32).fill(seed.length));
  const oca = generateOca(rng, api);
  const pek = generatePek(rng, api, oca, cek);
  return { oca, pek, pdh: generatePdh(rng, api, pek), cek };
}

const h = hierarchy('platform');
const cekCert = cert(unsignedCekCert(h.cek, api));
const status = (r: { ok: boolean; status?: string }): string => (r.ok ? 'SUCCESS' : (r.status ?? '?'));

describe('key hierarchy', () => {
  it('OCA is self-signed, PEK signed by OCA (slot 1) and CEK (slot 2), PDH by PEK', () => {
    expect(status(verifySevCertSignedBy(cert(h.oca), cert(h.oca)))).toBe('SUCCESS');
    expect(cert(h.pek).sig1.usage).toBe(SEV_USAGE.OCA);
    expect(cert(h.pek).sig2.usage).toBe(SEV_USAGE.CEK);
    expect(status(verifySevCertSignedBy(cert(h.pek), cert(h.oca)))).toBe('SUCCESS');
    expect(status(verifySevCertSignedBy(cert(h.pek), cekCert))).toBe('SUCCESS');
    expect(status(verifySevCertSignedBy(cert(h.pdh), cert(h.pek)))).toBe('SUCCESS');
    expect(cert(h.pek).apiMajor).toBe(1);
    expect(cert(h.pek).apiMinor).toBe(55);
  });

  it('same seed → same certificates; other seed → other keys', () => {
    const again = hierarchy('platform');
    expect(again.pdh.cert).toEqual(h.pdh.cert);
    expect(hierarchy('other').pdh.cert).not.toEqual(h.pdh.cert);
  });

  it('the CEK depends only on the chip secret, and its exported cert is unsigned', () => {
    expect(deriveCek(new Uint8Array(32).fill(8))).toEqual(h.cek);
    expect(deriveCek(new Uint8Array(32).fill(9)).privateKey).not.toEqual(h.cek.privateKey);
    expect(cekCert.sig1.usage).toBe(SEV_USAGE.INVALID);
    expect(cekCert.sig2.usage).toBe(SEV_USAGE.INVALID);
    expect(sevCertEcKey(cekCert)).toEqual(h.cek.publicKey);
  });
});

describe('PEK_CSR and PEK_CERT_IMPORT', () => {
  const owner = generateOca(SeededRng.fromSeed('owner'), api);
  const csr = pekCsr(h.pek);
  const signed = signPekCsr(csr, owner);
  if (!signed.ok) throw new Error(signed.reason);

  it('the CSR is the PEK with empty slots', () => {
    const c = cert(csr);
    expect(c.pubKey).toEqual(cert(h.pek).pubKey);
    expect(c.sig1.usage).toBe(SEV_USAGE.INVALID);
    expect(c.sig2.usage).toBe(SEV_USAGE.INVALID);
  });

  it('import accepts the owner-signed PEK and adds the CEK signature', () => {
    const r = pekCertImport({ pek: h.pek, cek: h.cek, pekCert: signed.pekCert, ocaCert: owner.cert });
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    const pek = cert(r.pek);
    expect(status(verifySevCertSignedBy(pek, cert(owner)))).toBe('SUCCESS');
    expect(status(verifySevCertSignedBy(pek, cekCert))).toBe('SUCCESS');
    expect(r.pek.privateKey).toEqual(h.pek.privateKey);
    expect(r.ocaCert).toEqual(owner.cert);
  });

  it('rejections, each with the firmware status', () => {
    const imp = (pekCert: Uint8Array, ocaCert: Uint8Array): string =>
      status(pekCertImport({ pek: h.pek, cek: h.cek, pekCert, ocaCert }));
    expect(imp(signed.pekCert.subarray(1), owner.cert)).toBe('INVALID_LEN');
    expect(imp(signed.pekCert, owner.cert.subarray(1))).toBe('INVALID_LEN');
    expect(imp(signed.pekCert, h.pek.cert)).toBe('INVALID_CERTIFICATE'); // "OCA" with usage PEK
    const ocaBadSig = cert(owner);
    const sig = ocaBadSig.sig1.sig.slice();
    sig[3] ^= 1;
    expect(imp(signed.pekCert, encodeSevCert({ ...ocaBadSig, sig1: { ...ocaBadSig.sig1, sig } }))).toBe('BAD_SIGNATURE');
    const other = hierarchy('someone-else');
    const foreign = signPekCsr(pekCsr(other.pek), owner);
    if (!foreign.ok) throw new Error();
    expect(imp(foreign.pekCert, owner.cert)).toBe('INVALID_CERTIFICATE'); // not our PEK
    const otherOwner = generateOca(SeededRng.fromSeed('owner-2'), api);
    expect(imp(signed.pekCert, otherOwner.cert)).toBe('BAD_SIGNATURE'); // signed by another OCA
    expect(imp(csr, owner.cert)).toBe('INVALID_CERTIFICATE'); // unsigned: no OCA slot
    expect(status(signPekCsr(h.pdh.cert, owner))).toBe('INVALID_CERTIFICATE');
  });
});
