/**
 * Launch commands (reference §3, §9.3, §11, §13): LAUNCH_START, LAUNCH_UPDATE_DATA,
 * LAUNCH_UPDATE_VMSA, LAUNCH_MEASURE, LAUNCH_SECRET, LAUNCH_FINISH. Order of checks
 * follows FW `sev_mcmd_launch_*` and `launch_update_common`.
 *
 * The PSP encrypts guest memory through the memory controller with the guest's ASID key
 * (FW `copy_to_x86_encrypted(..., guest->asid)`), which is why the launch commands need
 * an ACTIVATE first; a pending ACTIVATE is enough (§13).
 */
import { launchMeasureBlob, MEASURE_BLOB_LEN, PACKET_HDR_LEN } from '../crypto/index.js';
import { type CommandBuffer } from '../buffers.js';
import { type CommandResult, type Firmware } from '../firmware.js';
import { type GuestContext } from '../guest-table.js';
import { GuestState, guestStateName } from '../guest-state.js';
import { SevStatus } from '../status.js';
import { aligned16, checkPlatform, cryptoFailure, fail, hex, isResult, lookupGuest, ok, type CommandHandler } from './common.js';
import { startGuest } from './start.js';

/** Size of a VMSA (§11). */
export const VMSA_LEN = 4096;
/** FW scratch buffer size: the most one transport or secret command moves (§10.2, §11). */
export const SCRATCH_LEN = 0x5000;

/** LAUNCH_START (§3, §9.3): a new guest in LUPDATE; a guest-owner session when dh_cert_paddr ≠ 0. */
export const launchStart: CommandHandler = (fw, buf) => startGuest(fw, buf, 'LAUNCH_START', buf.u64(8) !== 0n);

/** INVALID_GUEST_STATE unless `g` is in `want`. */
export function checkGuestState(g: GuestContext, want: number, cmd: string): CommandResult | undefined {
  if (g.state === want) return undefined;
  return fail(SevStatus.INVALID_GUEST_STATE, `${cmd} needs ${guestStateName(want)}, guest ${g.handle} is ${guestStateName(g.state)}`);
}

/** The guest's ASID key access for the memory controller. */
export function guestAccess(g: GuestContext): { asid: number; encrypted: true } {
  return { asid: g.asid, encrypted: true };
}

function launchUpdate(fw: Firmware, buf: CommandBuffer, vmsa: boolean): CommandResult {
  const cmd = vmsa ? 'LAUNCH_UPDATE_VMSA' : 'LAUNCH_UPDATE_DATA';
  const bad = checkPlatform(fw, cmd);
  if (bad) return bad;
  const g = lookupGuest(fw, buf.u32(0));
  if (isResult(g)) return g;
  const wrong = checkGuestState(g, GuestState.LUPDATE, cmd);
  if (wrong) return wrong;
  if (vmsa && !g.es) return fail(SevStatus.UNSUPPORTED, 'LAUNCH_UPDATE_VMSA needs an SEV-ES guest');
  if (g.activation === 'inactive') return fail(SevStatus.INACTIVE, `guest ${g.handle} is not activated`);
  const paddr = buf.u64(8);
  const len = buf.u32(16);
  if (!aligned16(paddr)) return fail(SevStatus.INVALID_ADDRESS, `paddr ${hex(paddr)} not 16-byte aligned`);
  if (!aligned16(len) || len === 0) return fail(SevStatus.INVALID_LEN, `len ${len} is 0 or not a multiple of 16`);
  const spa = fw.spa(paddr);
  const plain = spa === undefined ? undefined : fw.hw.memory.read(spa, len);
  if (plain === undefined) return fail(SevStatus.INVALID_ADDRESS, `${hex(paddr)}+${len} outside RAM`);
  g.digest.update(plain);
  fw.hw.controller.write(spa!, plain, guestAccess(g));
  plain.fill(0);
  return ok(`guest ${g.handle}: ${len} bytes at ${hex(spa!)} measured and encrypted in place`, len);
}

/** LAUNCH_UPDATE_DATA (§11): measure the plaintext, then encrypt it in place with the VEK. */
export const launchUpdateData: CommandHandler = (fw, buf) => launchUpdate(fw, buf, false);

/** LAUNCH_UPDATE_VMSA (§11, §13): len must be 4096, checked before anything else. */
export const launchUpdateVmsa: CommandHandler = (fw, buf) => {
  const len = buf.u32(16);
  if (len !== VMSA_LEN) return fail(SevStatus.INVALID_LEN, `VMSA length ${len}, must be ${VMSA_LEN}`);
  return launchUpdate(fw, buf, true);
};

/**
 * LAUNCH_MEASURE (§11): LUPDATE → LSECRET; len ≥ 48 (INVALID_LEN, 48 written back);
 * writes MEASUREMENT ‖ MNONCE and keeps MEASUREMENT for LAUNCH_SECRET.
 */
export const launchMeasure: CommandHandler = (fw, buf) => {
  const bad = checkPlatform(fw, 'LAUNCH_MEASURE');
  if (bad) return bad;
  const g = lookupGuest(fw, buf.u32(0));
  if (isResult(g)) return g;
  const wrong = checkGuestState(g, GuestState.LUPDATE, 'LAUNCH_MEASURE');
  if (wrong) return wrong;
  const len = buf.u32(16);
  if (len < MEASURE_BLOB_LEN) {
    buf.setU32(16, MEASURE_BLOB_LEN);
    return fail(SevStatus.INVALID_LEN, `len ${len} too small, needs ${MEASURE_BLOB_LEN}`);
  }
  const paddr = buf.u64(8);
  if (!fw.canWriteHost(paddr, MEASURE_BLOB_LEN)) return fail(SevStatus.INVALID_ADDRESS, 'measurement buffer outside RAM');
  const { version } = fw;
  const blob = launchMeasureBlob(g.channel!.tik, {
    apiMajor: version.apiMajor,
    apiMinor: version.apiMinor,
    build: version.build,
    policy: g.policy,
    digest: g.digest.digest(),
    mnonce: fw.rng.bytes(16),
  });
  fw.writeHost(paddr, blob);
  g.measurement = blob.slice(0, 32);
  g.state = GuestState.LSECRET;
  return ok(`guest ${g.handle}: launch measurement written; LSECRET`);
};

/**
 * LAUNCH_SECRET (§11, §13 "order details"): handle → guest_paddr alignment → lengths
 * (hdr_len exactly 52, guest_len == trans_len, non-zero multiple of 16, ≤ 0x5000) →
 * LSECRET → active (pending counts) → MAC (BAD_MEASUREMENT) → COMPRESSED (UNSUPPORTED)
 * → decrypt and write into guest memory with the VEK. May repeat.
 */
export const launchSecret: CommandHandler = (fw, buf) => {
  const bad = checkPlatform(fw, 'LAUNCH_SECRET');
  if (bad) return bad;
  const g = lookupGuest(fw, buf.u32(0));
  if (isResult(g)) return g;
  const gpaddr = buf.u64(24);
  if (!aligned16(gpaddr)) return fail(SevStatus.INVALID_ADDRESS, `guest_paddr ${hex(gpaddr)} not 16-byte aligned`);
  const hdrLen = buf.u32(16);
  const guestLen = buf.u32(32);
  const transLen = buf.u32(48);
  if (hdrLen !== PACKET_HDR_LEN || !aligned16(guestLen) || guestLen === 0 || guestLen > SCRATCH_LEN || guestLen !== transLen) {
    return fail(SevStatus.INVALID_LEN, `hdr_len ${hdrLen}, guest_len ${guestLen}, trans_len ${transLen}`);
  }
  const wrong = checkGuestState(g, GuestState.LSECRET, 'LAUNCH_SECRET');
  if (wrong) return wrong;
  if (g.activation === 'inactive') return fail(SevStatus.INACTIVE, `guest ${g.handle} is not activated`);
  const hdr = fw.readHost(buf.u64(8), PACKET_HDR_LEN);
  if (!hdr) return fail(SevStatus.INVALID_ADDRESS, 'header outside RAM');
  const spa = fw.spa(gpaddr);
  if (spa === undefined || !fw.hw.memory.contains(spa, guestLen)) return fail(SevStatus.INVALID_ADDRESS, 'guest region outside RAM');
  const trans = fw.readHost(buf.u64(40), transLen);
  if (!trans) return fail(SevStatus.INVALID_ADDRESS, 'transport buffer outside RAM');
  const opened = g.channel!.keys.openSecret(hdr, trans, g.measurement ?? new Uint8Array(0));
  if (!opened.ok) return cryptoFailure(opened);
  fw.hw.controller.write(spa, opened.plaintext, guestAccess(g));
  opened.plaintext.fill(0);
  return ok(`guest ${g.handle}: ${guestLen}-byte secret injected at ${hex(spa)}`, guestLen);
};

/** LAUNCH_FINISH (§11): LSECRET → RUNNING; completes a pending ACTIVATE; wipes TEK/TIK and the digest. */
export const launchFinish: CommandHandler = (fw, buf) => {
  const bad = checkPlatform(fw, 'LAUNCH_FINISH');
  if (bad) return bad;
  const g = lookupGuest(fw, buf.u32(0));
  if (isResult(g)) return g;
  const wrong = checkGuestState(g, GuestState.LSECRET, 'LAUNCH_FINISH');
  if (wrong) return wrong;
  const completed = completePendingActivate(fw, g);
  g.channel?.keys.wipe();
  g.channel = undefined;
  g.digest.reset();
  g.measurement = undefined;
  g.state = GuestState.RUNNING;
  return ok(`guest ${g.handle} launched; RUNNING${completed ? `; ASID ${g.asid} now active` : ''}`);
};

/** LAUNCH_FINISH / RECEIVE_FINISH: a pending ACTIVATE takes full effect (§13). */
export function completePendingActivate(fw: Firmware, g: GuestContext): boolean {
  if (g.activation !== 'pending') return false;
  g.activation = 'active';
  fw.asids.set(g.asid, 'in-use');
  fw.hw.setAsidValid(g.asid, true);
  return true;
}
