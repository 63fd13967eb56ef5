/**
 * Platform identity commands (reference §4, §8): PEK_GEN, PEK_CSR, PEK_CERT_IMPORT,
 * PDH_GEN, PDH_CERT_EXPORT. Order of checks follows FW `sev_mcmd_*`; every new key is
 * made before anything is stored, so a failure changes nothing.
 */
import {
  encodePlatformChain,
  generateOca,
  generatePdh,
  generatePek,
  pekCertImport,
  pekCsr,
  PLATFORM_CHAIN_LEN,
  SEV_CERT_LEN,
  unsignedCekCert,
} from '../certs/index.js';
import { SevStatus } from '../status.js';
import { checkPlatform, cryptoFailure, fail, ok, type CommandHandler } from './common.js';

/** PEK_GEN (§4): INIT only; new self-signed OCA, new PEK, new PDH; the platform becomes self-owned. */
export const pekGen: CommandHandler = (fw) => {
  const bad = checkPlatform(fw, 'PEK_GEN');
  if (bad) return bad;
  const oca = generateOca(fw.rng, fw.api);
  const pek = generatePek(fw.rng, fw.api, oca, fw.cek);
  const pdh = generatePdh(fw.rng, fw.api, pek);
  fw.identity = { oca, pek, pdh, externallyOwned: false };
  return ok('new OCA, PEK and PDH; platform self-owned');
};

/** PEK_CSR (§4): INIT or WORKING; len ≥ 2084 (INVALID_LEN, 2084 written back); the unsigned PEK cert. */
export const pekCsrCmd: CommandHandler = (fw, buf) => {
  const bad = checkPlatform(fw, 'PEK_CSR');
  if (bad) return bad;
  const len = buf.u32(8);
  if (len < SEV_CERT_LEN) {
    buf.setU32(8, SEV_CERT_LEN);
    return fail(SevStatus.INVALID_LEN, `len ${len} too small, needs ${SEV_CERT_LEN}`);
  }
  if (!fw.writeHost(buf.u64(0), pekCsr(fw.identity.pek!))) return fail(SevStatus.INVALID_ADDRESS, 'CSR buffer outside RAM');
  buf.setU32(8, SEV_CERT_LEN);
  return ok('PEK certificate signing request written');
};

/**
 * PEK_CERT_IMPORT (§4): INIT only; ALREADY_OWNED on an externally owned platform; both
 * lengths exactly 2084 (INVALID_LEN); the certificates are read and checked (OCA
 * self-signed, PEK signed by it and equal to ours); a new PDH is made; owner flag set.
 */
export const pekCertImportCmd: CommandHandler = (fw, buf) => {
  const bad = checkPlatform(fw, 'PEK_CERT_IMPORT');
  if (bad) return bad;
  if (fw.identity.externallyOwned) return fail(SevStatus.ALREADY_OWNED, 'platform is already externally owned');
  const pekLen = buf.u32(8);
  const ocaLen = buf.u32(24);
  if (pekLen !== SEV_CERT_LEN || ocaLen !== SEV_CERT_LEN) {
    return fail(SevStatus.INVALID_LEN, `pek_len ${pekLen} / oca_len ${ocaLen}, both must be ${SEV_CERT_LEN}`);
  }
  const pekCert = fw.readHost(buf.u64(0), SEV_CERT_LEN);
  if (!pekCert) return fail(SevStatus.INVALID_ADDRESS, 'PEK certificate outside RAM');
  const ocaCert = fw.readHost(buf.u64(16), SEV_CERT_LEN);
  if (!ocaCert) return fail(SevStatus.INVALID_ADDRESS, 'OCA certificate outside RAM');
  const imported = pekCertImport({ pek: fw.identity.pek!, cek: fw.cek, pekCert, ocaCert });
  if (!imported.ok) return cryptoFailure(imported);
  const pdh = generatePdh(fw.rng, fw.api, imported.pek);
  // The imported OCA has no private key on this platform: only its certificate is kept.
  fw.identity = { oca: { privateKey: new Uint8Array(0), cert: imported.ocaCert }, pek: imported.pek, pdh, externallyOwned: true };
  return ok('OCA-signed PEK imported; new PDH; platform externally owned');
};

/** PDH_GEN (§4): INIT or WORKING; a new PDH signed by the PEK. */
export const pdhGen: CommandHandler = (fw) => {
  const bad = checkPlatform(fw, 'PDH_GEN');
  if (bad) return bad;
  fw.identity = { ...fw.identity, pdh: generatePdh(fw.rng, fw.api, fw.identity.pek!) };
  return ok('new PDH');
};

/**
 * PDH_CERT_EXPORT (§4, §8.1): INIT or WORKING; pdh_len ≥ 2084 and chain_len ≥ 6252
 * (INVALID_LEN, both needed lengths written back); writes the PDH certificate and the
 * PEK ‖ OCA ‖ CEK chain, whose CEK certificate carries no signature.
 */
export const pdhCertExport: CommandHandler = (fw, buf) => {
  const bad = checkPlatform(fw, 'PDH_CERT_EXPORT');
  if (bad) return bad;
  const pdhLen = buf.u32(8);
  const chainLen = buf.u32(24);
  if (pdhLen < SEV_CERT_LEN || chainLen < PLATFORM_CHAIN_LEN) {
    buf.setU32(8, SEV_CERT_LEN);
    buf.setU32(24, PLATFORM_CHAIN_LEN);
    return fail(SevStatus.INVALID_LEN, `pdh_len ${pdhLen} / chain_len ${chainLen} too small`);
  }
  const pdhAddr = buf.u64(0);
  const chainAddr = buf.u64(16);
  if (!fw.canWriteHost(pdhAddr, SEV_CERT_LEN) || !fw.canWriteHost(chainAddr, PLATFORM_CHAIN_LEN)) {
    return fail(SevStatus.INVALID_ADDRESS, 'PDH or chain buffer outside RAM');
  }
  const { pek, oca, pdh } = fw.identity;
  const chain = encodePlatformChain({ pek: pek!.cert, oca: oca!.cert, cek: unsignedCekCert(fw.cek, fw.api) });
  fw.writeHost(pdhAddr, pdh!.cert);
  fw.writeHost(chainAddr, chain);
  buf.setU32(8, SEV_CERT_LEN);
  buf.setU32(24, PLATFORM_CHAIN_LEN);
  return ok('PDH certificate and PEK/OCA/CEK chain written');
};
