// Platform chains and SEND_START's target authentication (§7, §8): SEV bit (ARK → ASK →
// CEK → PEK → PDH) and DOMAIN bit (OCA → PEK → PDH + same OCA), trusted and untrusted targets.
import { describe, expect, it } from 'vitest';
import { SeededRng } from '../../core/rng.js';
import { decodePlatformChain, encodePlatformChain, PLATFORM_CHAIN_LEN, validateDomain, validateSevPlatform } from './chain.js';
import { fetchCekCert, labAmdRoot, manufactureChip, rogueAmdRoot, withSignedCek, type AmdRoot } from './lab-amd-root.js';
import { deriveCek, generateOca, generatePdh, generatePek, pekCertImport, pekCsr, signPekCsr, unsignedCekCert, type PlatformKey } from './platform-keys.js';
import { decodeSevCert, SEV_USAGE, sevCertEcKey } from './sev-cert.js';

const api = { apiMajor: 1, apiMinor: 55 };
const status = (r: { ok: boolean; status?: string }): string => (r.ok ? 'SUCCESS' : (r.status ?? '?'));

interface Platform {
  chipId: Uint8Array;
  oca: PlatformKey;
  pek: PlatformKey;
  pdh: PlatformKey;
  chain: Uint8Array;
}

function platform(root: AmdRoot, seed: string, oca?: PlatformKey): Platform {
  const rng = SeededRng.fromSeed(seed);
  const fuses = manufactureChip(root, rng.fork('factory'));
  const cek = deriveCek(fuses.chipSecret);
  const ownOca = generateOca(rng, api);
  let pek = generatePek(rng, api, ownOca, cek);
  if (oca) {
    const signed = signPekCsr(pekCsr(pek), oca);
    if (!signed.ok) throw new Error();
    const imp = pekCertImport({ pek, cek, pekCert: signed.pekCert, ocaCert: oca.cert });
    if (!imp.ok) throw new Error(imp.reason);
    pek = imp.pek;
  }
  const theOca = oca ?? ownOca;
  const pdh = generatePdh(rng, api, pek);
  const chain = encodePlatformChain({ pek: pek.cert, oca: theOca.cert, cek: unsignedCekCert(cek, api) });
  return { chipId: fuses.chipId, oca: theOca, pek, pdh, chain };
}

const lab = labAmdRoot();
const target = platform(lab, 'target');
const signedChain = withSignedCek(lab, target.chipId, target.chain);
if (!signedChain.ok) throw new Error();

const sev = (pdhCert: Uint8Array, platCerts: Uint8Array, amdCerts = lab.amdChain): string =>
  status(validateSevPlatform({ pdhCert, platCerts, amdCerts, trustedArk: lab.trustedArk }));

describe('platform chain blob', () => {
  it('PEK ‖ OCA ‖ CEK, 6252 bytes, round trip', () => {
    expect(target.chain.length).toBe(PLATFORM_CHAIN_LEN);
    const d = decodePlatformChain(target.chain);
    expect(d.ok && d.chain.pek).toEqual(target.pek.cert);
    expect(d.ok && d.chain.oca).toEqual(target.oca.cert);
    expect(d.ok && encodePlatformChain(d.chain)).toEqual(target.chain);
    expect(status(decodePlatformChain(target.chain.subarray(4)))).toBe('INVALID_LEN');
  });
});

describe('key server', () => {
  it('a chip is a pure function of its root and RNG stream; roots make different secrets', () => {
    const a = manufactureChip(lab, SeededRng.fromSeed('chip'));
    expect(manufactureChip(lab, SeededRng.fromSeed('chip'))).toEqual(a);
    const r = manufactureChip(rogueAmdRoot(), SeededRng.fromSeed('chip'));
    expect(r.chipId).toEqual(a.chipId);
    expect(r.chipSecret).not.toEqual(a.chipSecret);
  });

  it('signs the CEK the chip derives, deterministically, for the chip id of GET_ID', () => {
    const a = fetchCekCert(lab, target.chipId);
    const b = fetchCekCert(lab, target.chipId);
    expect(a.ok && b.ok && a.cekCert).toEqual(b.ok && b.cekCert);
    const d = a.ok ? decodeSevCert(a.cekCert) : undefined;
    const exported = decodePlatformChain(target.chain);
    const cekExported = exported.ok ? decodeSevCert(exported.chain.cek) : undefined;
    expect(d?.ok && cekExported?.ok && sevCertEcKey(d.cert)).toEqual(cekExported?.ok && sevCertEcKey(cekExported.cert));
    expect(d?.ok && d.cert.sig1.usage).toBe(SEV_USAGE.ASK);
    expect(status(fetchCekCert(lab, new Uint8Array(63)))).toBe('INVALID_LEN');
  });
});

describe('SEV policy bit: genuine AMD target', () => {
  it('a lab platform with its AMD-signed CEK validates', () => {
    const r = validateSevPlatform({ pdhCert: target.pdh.cert, platCerts: signedChain.platCerts, amdCerts: lab.amdChain, trustedArk: lab.trustedArk });
    expect(r.ok && [r.pek.apiMajor, r.pek.apiMinor]).toEqual([1, 55]);
  });

  it('the chain straight from PDH_CERT_EXPORT (unsigned CEK) fails (§14.8)', () => {
    expect(sev(target.pdh.cert, target.chain)).toBe('INVALID_CERTIFICATE');
  });

  it('a rogue platform does not chain to the lab ARK (untrusted target)', () => {
    const rogue = rogueAmdRoot();
    const mallory = platform(rogue, 'mallory');
    const mChain = withSignedCek(rogue, mallory.chipId, mallory.chain);
    if (!mChain.ok) throw new Error();
    expect(sev(mallory.pdh.cert, mChain.platCerts, rogue.amdChain)).toBe('INVALID_CERTIFICATE');
    expect(sev(mallory.pdh.cert, mChain.platCerts, lab.amdChain)).toBe('BAD_SIGNATURE');
  });

  it('a PDH not signed by this PEK, or a tampered PEK, fails with BAD_SIGNATURE', () => {
    const other = platform(lab, 'other');
    expect(sev(other.pdh.cert, signedChain.platCerts)).toBe('BAD_SIGNATURE');
    const tampered = signedChain.platCerts.slice();
    tampered[0x20] ^= 1; // inside the PEK's Qx: off-curve
    expect(sev(target.pdh.cert, tampered)).toBe('INVALID_CERTIFICATE');
    const padding = signedChain.platCerts.slice();
    padding[0x100] ^= 1; // zero padding of the key area: body fine, signatures not
    expect(sev(target.pdh.cert, padding)).toBe('BAD_SIGNATURE');
    const apiBump = signedChain.platCerts.slice();
    apiBump[5] ^= 1; // PEK api_minor: body still valid, signatures not
    expect(sev(target.pdh.cert, apiBump)).toBe('BAD_SIGNATURE');
  });

  it('lengths come first', () => {
    expect(sev(target.pdh.cert.subarray(1), signedChain.platCerts)).toBe('INVALID_LEN');
    expect(sev(target.pdh.cert, signedChain.platCerts.subarray(1))).toBe('INVALID_LEN');
    expect(sev(target.pdh.cert, signedChain.platCerts, lab.amdChain.subarray(1))).toBe('INVALID_LEN');
  });

  it('wrong usage in the PDH slot is INVALID_CERTIFICATE', () => {
    expect(sev(target.pek.cert, signedChain.platCerts)).toBe('INVALID_CERTIFICATE');
  });
});

describe('DOMAIN policy bit', () => {
  const owner = generateOca(SeededRng.fromSeed('cloud-owner'), api);
  const a = platform(lab, 'dom-a', owner);
  const b = platform(lab, 'dom-b', owner);
  const dom = (t: Platform, ownOcaCert: Uint8Array): string =>
    status(validateDomain({ pdhCert: t.pdh.cert, platCerts: t.chain, ownOcaCert }));

  it('a target under the same OCA passes', () => expect(dom(b, a.oca.cert)).toBe('SUCCESS'));
  it('a target under another OCA is POLICY_FAILURE', () => expect(dom(target, a.oca.cert)).toBe('POLICY_FAILURE'));
  it('a forged chain fails on signatures before the OCA comparison', () => {
    const forged = { ...b, pdh: target.pdh };
    expect(dom(forged, a.oca.cert)).toBe('BAD_SIGNATURE');
  });
});
