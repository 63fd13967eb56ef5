/**
 * Send commands (reference §7, §8.3, §10): SEND_START, SEND_UPDATE_DATA,
 * SEND_UPDATE_VMSA, SEND_FINISH, SEND_CANCEL. Order of checks follows FW
 * `sev_mcmd_send_start` (with `validate_platform`, `validate_domain`) and
 * `sev_mcmd_send_update`.
 *
 * Teaching point kept on purpose (§14.1): with neither the SEV nor the DOMAIN policy bit,
 * the target PDH is only body-checked, never authenticated.
 */
import { createSendSession, PACKET_HDR_LEN } from '../crypto/index.js';
import { AMD_CHAIN_LENS, PLATFORM_CHAIN_LEN, SEV_CERT_LEN, validateDomain, validateSevPlatform } from '../certs/index.js';
import { type CommandBuffer } from '../buffers.js';
import { type CommandResult, type Firmware } from '../firmware.js';
import { GuestState } from '../guest-state.js';
import { apiSatisfies, Policy } from '../policy.js';
import { SevStatus } from '../status.js';
import { aligned16, checkPlatform, cryptoFailure, fail, hex, isResult, lookupGuest, ok, type CommandHandler } from './common.js';
import { checkGuestState, guestAccess, SCRATCH_LEN } from './launch.js';

const SESSION_LEN = 128;

/** The target's certificates as SEND_START read them. */
interface TargetCerts {
  pdh?: Uint8Array;
  plat?: Uint8Array;
}

/** FW `validate_platform` (SEV bit): lengths, then ARK → ASK → CEK → PEK → PDH, then the API version. */
function validatePlatform(fw: Firmware, buf: CommandBuffer, policy: number, certs: TargetCerts): CommandResult | undefined {
  const platLen = buf.u32(32);
  const pdhLen = buf.u32(16);
  const amdLen = buf.u32(48);
  if (platLen !== PLATFORM_CHAIN_LEN) return fail(SevStatus.INVALID_LEN, `plat_certs_len ${platLen}, must be ${PLATFORM_CHAIN_LEN}`);
  if (pdhLen !== SEV_CERT_LEN) return fail(SevStatus.INVALID_LEN, `pdh_cert_len ${pdhLen}, must be ${SEV_CERT_LEN}`);
  if (!AMD_CHAIN_LENS.includes(amdLen)) return fail(SevStatus.INVALID_LEN, `amd_certs_len ${amdLen} is not an AMD chain size`);
  certs.plat = fw.readHost(buf.u64(24), PLATFORM_CHAIN_LEN);
  certs.pdh = fw.readHost(buf.u64(8), SEV_CERT_LEN);
  const amd = fw.readHost(buf.u64(40), amdLen);
  if (!certs.plat || !certs.pdh || !amd) return fail(SevStatus.INVALID_ADDRESS, 'target certificates outside RAM');
  const v = validateSevPlatform({ pdhCert: certs.pdh, platCerts: certs.plat, amdCerts: amd, trustedArk: fw.trustedArk });
  if (!v.ok) return cryptoFailure(v);
  if (!apiSatisfies(policy, v.pek.apiMajor, v.pek.apiMinor)) {
    return fail(SevStatus.POLICY_FAILURE, `target API ${v.pek.apiMajor}.${v.pek.apiMinor} older than the policy allows`);
  }
  return undefined;
}

/** FW `validate_domain` (DOMAIN bit): OCA → PEK → PDH of the target, and its OCA must equal ours. */
function validateOwnDomain(fw: Firmware, buf: CommandBuffer, certs: TargetCerts): CommandResult | undefined {
  const platLen = buf.u32(32);
  const pdhLen = buf.u32(16);
  if (platLen !== PLATFORM_CHAIN_LEN) return fail(SevStatus.INVALID_LEN, `plat_certs_len ${platLen}, must be ${PLATFORM_CHAIN_LEN}`);
  if (pdhLen !== SEV_CERT_LEN) return fail(SevStatus.INVALID_LEN, `pdh_cert_len ${pdhLen}, must be ${SEV_CERT_LEN}`);
  certs.plat ??= fw.readHost(buf.u64(24), PLATFORM_CHAIN_LEN);
  certs.pdh ??= fw.readHost(buf.u64(8), SEV_CERT_LEN);
  if (!certs.plat || !certs.pdh) return fail(SevStatus.INVALID_ADDRESS, 'target certificates outside RAM');
  const v = validateDomain({ pdhCert: certs.pdh, platCerts: certs.plat, ownOcaCert: fw.identity.oca!.cert });
  return v.ok ? undefined : cryptoFailure(v);
}

/**
 * SEND_START (§7 order): WORKING → handle → session_len == 128 (INVALID_LEN, 128 written
 * back) → RUNNING → NOSEND → SEV-bit chain and API check → DOMAIN-bit chain and OCA
 * match → open the channel with this platform's PDH → session and policy out → SUPDATE.
 */
export const sendStart: CommandHandler = (fw, buf) => {
  const bad = checkPlatform(fw, 'SEND_START');
  if (bad) return bad;
  const g = lookupGuest(fw, buf.u32(0));
  if (isResult(g)) return g;
  const sessionLen = buf.u32(64);
  if (sessionLen !== SESSION_LEN) {
    buf.setU32(64, SESSION_LEN);
    return fail(SevStatus.INVALID_LEN, `session_len ${sessionLen}, must be ${SESSION_LEN}`);
  }
  const wrong = checkGuestState(g, GuestState.RUNNING, 'SEND_START');
  if (wrong) return wrong;
  if (g.policy & Policy.NOSEND) return fail(SevStatus.POLICY_FAILURE, `guest ${g.handle} policy forbids sending (NOSEND)`);
  const certs: TargetCerts = {};
  if (g.policy & Policy.SEV) {
    const r = validatePlatform(fw, buf, g.policy, certs);
    if (r) return r;
  }
  if (g.policy & Policy.DOMAIN) {
    const r = validateOwnDomain(fw, buf, certs);
    if (r) return r;
  }
  if (!certs.pdh) {
    const pdhLen = buf.u32(16);
    if (pdhLen !== SEV_CERT_LEN) return fail(SevStatus.INVALID_LEN, `pdh_cert_len ${pdhLen}, must be ${SEV_CERT_LEN}`);
    certs.pdh = fw.readHost(buf.u64(8), SEV_CERT_LEN);
    if (!certs.pdh) return fail(SevStatus.INVALID_ADDRESS, 'target PDH outside RAM');
  }
  const sent = createSendSession({ pdhPrivateKey: fw.identity.pdh!.privateKey, targetPdhCert: certs.pdh, policy: g.policy, rng: fw.rng });
  if (!sent.ok) return cryptoFailure(sent);
  if (!fw.writeHost(buf.u64(56), sent.session)) {
    sent.keys.wipe();
    return fail(SevStatus.INVALID_ADDRESS, 'session buffer outside RAM');
  }
  const nonce = sent.session.slice(0, 16);
  buf.setU32(4, g.policy);
  g.channel = { tek: sent.tek, tik: sent.tik, keys: sent.keys, nonce };
  fw.onSendKeys?.({ handle: g.handle, policy: g.policy, nonce, tek: sent.tek, tik: sent.tik });
  g.state = GuestState.SUPDATE;
  const auth = g.policy & Policy.SEV ? 'AMD chain' : g.policy & Policy.DOMAIN ? 'owner domain' : 'unauthenticated (no SEV/DOMAIN bit)';
  return ok(`guest ${g.handle}: send session opened, target PDH ${auth}; SUPDATE`);
};

function sendUpdate(fw: Firmware, buf: CommandBuffer, vmsa: boolean): CommandResult {
  const cmd = vmsa ? 'SEND_UPDATE_VMSA' : 'SEND_UPDATE_DATA';
  const bad = checkPlatform(fw, cmd);
  if (bad) return bad;
  const hdrLen = buf.u32(16);
  if (hdrLen < PACKET_HDR_LEN) {
    buf.setU32(16, PACKET_HDR_LEN);
    return fail(SevStatus.INVALID_LEN, `hdr_len ${hdrLen} too small, needs ${PACKET_HDR_LEN}`);
  }
  const g = lookupGuest(fw, buf.u32(0));
  if (isResult(g)) return g;
  const wrong = checkGuestState(g, GuestState.SUPDATE, cmd);
  if (wrong) return wrong;
  if (vmsa && !g.es) return fail(SevStatus.UNSUPPORTED, `${cmd} needs an SEV-ES guest`);
  if (g.asid === 0 || !fw.asids.isActive(g.asid)) return fail(SevStatus.INACTIVE, `guest ${g.handle} has no active ASID`);
  const guestLen = buf.u32(32);
  const transLen = buf.u32(48);
  if (guestLen === 0 || guestLen > SCRATCH_LEN || !aligned16(guestLen) || transLen === 0 || transLen < guestLen) {
    return fail(SevStatus.INVALID_LEN, `guest_len ${guestLen}, trans_len ${transLen}`);
  }
  const gpaddr = buf.u64(24);
  if (!aligned16(gpaddr)) return fail(SevStatus.INVALID_ADDRESS, `guest_paddr ${hex(gpaddr)} not 16-byte aligned`);
  const spa = fw.spa(gpaddr);
  // The guest region must be RAM under a loaded key slot (what the controller's read needs).
  if (spa === undefined || !fw.hw.memory.contains(spa, guestLen) || !fw.hw.controller.hasKey(g.asid)) {
    return fail(SevStatus.INVALID_ADDRESS, 'guest region outside RAM');
  }
  const transAddr = buf.u64(40);
  const hdrAddr = buf.u64(8);
  if (!fw.canWriteHost(transAddr, guestLen) || !fw.canWriteHost(hdrAddr, PACKET_HDR_LEN)) {
    return fail(SevStatus.INVALID_ADDRESS, 'header or transport buffer outside RAM');
  }
  const iv = fw.rng.bytes(16);
  const hdr = new Uint8Array(PACKET_HDR_LEN);
  // A packet sealed ahead from exactly these inputs (psp/ahead/) is the same bytes.
  const ahead = fw.ahead?.send.take(g, spa, guestLen, iv);
  let trans: Uint8Array;
  if (ahead) {
    trans = ahead.trans;
    hdr.set(iv, 4);
    hdr.set(ahead.mac, 20);
  } else {
    // Decrypted into the firmware's scratch, sealed in place there, copied out.
    trans = fw.scratch.transport.subarray(0, guestLen);
    if (!fw.hw.controller.readInto(spa, trans, guestAccess(g))) trans = fw.hw.controller.read(spa, guestLen, guestAccess(g))!;
    g.channel!.keys.sealPacketInPlace(trans, iv, hdr);
  }
  fw.writeHost(transAddr, trans);
  fw.writeHost(hdrAddr, hdr);
  buf.setU32(16, PACKET_HDR_LEN);
  return ok(`guest ${g.handle}: ${guestLen} bytes at ${hex(spa)} sealed for transport`, guestLen);
}

/** SEND_UPDATE_DATA (§10): guest bytes re-encrypted under TEK/TIK into a header and transport data. */
export const sendUpdateData: CommandHandler = (fw, buf) => sendUpdate(fw, buf, false);

/** SEND_UPDATE_VMSA (§10): the same for a VMSA of an SEV-ES guest ([U] the lab does not validate VMSA contents). */
export const sendUpdateVmsa: CommandHandler = (fw, buf) => sendUpdate(fw, buf, true);

function sendEnd(fw: Firmware, buf: CommandBuffer, cmd: 'SEND_FINISH' | 'SEND_CANCEL'): CommandResult {
  const bad = checkPlatform(fw, cmd);
  if (bad) return bad;
  const g = lookupGuest(fw, buf.u32(0));
  if (isResult(g)) return g;
  const wrong = checkGuestState(g, GuestState.SUPDATE, cmd);
  if (wrong) return wrong;
  g.channel?.keys.wipe();
  g.channel = undefined;
  fw.ahead?.send.clear();
  g.state = cmd === 'SEND_FINISH' ? GuestState.SENT : GuestState.RUNNING;
  return ok(`guest ${g.handle}: send channel closed; ${cmd === 'SEND_FINISH' ? 'SENT' : 'RUNNING again'}`);
}

/** SEND_FINISH (§10.2): SUPDATE → SENT; nothing about what was sent is verified. */
export const sendFinish: CommandHandler = (fw, buf) => sendEnd(fw, buf, 'SEND_FINISH');

/** SEND_CANCEL (§10.2): SUPDATE → RUNNING. */
export const sendCancel: CommandHandler = (fw, buf) => sendEnd(fw, buf, 'SEND_CANCEL');
