/**
 * Receive commands (reference §8.3, §9.3, §10, §14.2): RECEIVE_START,
 * RECEIVE_UPDATE_DATA, RECEIVE_UPDATE_VMSA, RECEIVE_FINISH. Order of checks follows FW
 * `sev_mcmd_receive_start` (see start.ts) and `sev_mcmd_receive_update`.
 *
 * Teaching points kept on purpose: RECEIVE_START only body-checks the sender's PDH
 * (§14.2); the packet MAC binds no address or sequence number, so replayed, reordered or
 * relocated packets of the same session are accepted (§14.4); RECEIVE_FINISH checks
 * nothing about what arrived (§14.5).
 */
import { PACKET_FLAG_COMPRESSED, PACKET_HDR_LEN, readU32LE } from '../crypto/index.js';
import { type CommandBuffer } from '../buffers.js';
import { type CommandResult, type Firmware } from '../firmware.js';
import { GuestState } from '../guest-state.js';
import { SevStatus } from '../status.js';
import { aligned16, checkPlatform, cryptoFailure, fail, hex, isResult, lookupGuest, ok, type CommandHandler } from './common.js';
import { checkGuestState, completePendingActivate, guestAccess, SCRATCH_LEN } from './launch.js';
import { startGuest } from './start.js';

/** RECEIVE_START (§8.3, §9.3): a new guest in RUPDATE from the sender's PDH and session. */
export const receiveStart: CommandHandler = (fw, buf) => startGuest(fw, buf, 'RECEIVE_START', true);

function receiveUpdate(fw: Firmware, buf: CommandBuffer, vmsa: boolean): CommandResult {
  const cmd = vmsa ? 'RECEIVE_UPDATE_VMSA' : 'RECEIVE_UPDATE_DATA';
  const bad = checkPlatform(fw, cmd);
  if (bad) return bad;
  const g = lookupGuest(fw, buf.u32(0));
  if (isResult(g)) return g;
  const wrong = checkGuestState(g, GuestState.RUPDATE, cmd);
  if (wrong) return wrong;
  if (vmsa && !g.es) return fail(SevStatus.UNSUPPORTED, `${cmd} needs an SEV-ES guest`);
  if (g.asid === 0 || !fw.asids.isActive(g.asid)) return fail(SevStatus.INACTIVE, `guest ${g.handle} has no active ASID`);
  const hdrLen = buf.u32(16);
  const guestLen = buf.u32(32);
  const transLen = buf.u32(48);
  if (transLen === 0 || transLen > SCRATCH_LEN || guestLen === 0 || guestLen !== transLen || !aligned16(guestLen) || hdrLen < PACKET_HDR_LEN) {
    return fail(SevStatus.INVALID_LEN, `hdr_len ${hdrLen}, guest_len ${guestLen}, trans_len ${transLen}`);
  }
  const gpaddr = buf.u64(24);
  if (!aligned16(gpaddr)) return fail(SevStatus.INVALID_ADDRESS, `guest_paddr ${hex(gpaddr)} not 16-byte aligned`);
  const hdr = fw.readHost(buf.u64(8), PACKET_HDR_LEN);
  if (!hdr) return fail(SevStatus.INVALID_ADDRESS, 'header outside RAM');
  // COMPRESSED is rejected before the MAC is looked at (the opposite of LAUNCH_SECRET).
  if (readU32LE(hdr, 0) & PACKET_FLAG_COMPRESSED) return fail(SevStatus.UNSUPPORTED, 'COMPRESSED packets are not supported');
  const spa = fw.spa(gpaddr);
  if (spa === undefined || !fw.hw.memory.contains(spa, guestLen)) return fail(SevStatus.INVALID_ADDRESS, 'guest region outside RAM');
  const trans = fw.scratch.transport.subarray(0, transLen);
  if (!fw.readHostInto(buf.u64(40), trans)) return fail(SevStatus.INVALID_ADDRESS, 'transport buffer outside RAM');
  // A packet opened ahead under the same channel and key slot (psp/ahead/): the DRAM bytes.
  const dram = fw.ahead?.receive.take(g, spa, guestLen, hdr, trans);
  if (dram) fw.hw.memory.write(spa, dram);
  else {
    const opened = g.channel!.keys.openPacket(hdr, trans, fw.scratch.plain.subarray(0, transLen));
    if (!opened.ok) return cryptoFailure(opened);
    fw.hw.controller.write(spa, opened.plaintext, guestAccess(g));
    opened.plaintext.fill(0);
  }
  return ok(`guest ${g.handle}: ${guestLen} bytes verified and re-encrypted at ${hex(spa)}`, guestLen);
}

/** RECEIVE_UPDATE_DATA (§10): verify the MAC, decrypt, re-encrypt with this host's VEK. */
export const receiveUpdateData: CommandHandler = (fw, buf) => receiveUpdate(fw, buf, false);

/** RECEIVE_UPDATE_VMSA (§10): the same for a VMSA of an SEV-ES guest. */
export const receiveUpdateVmsa: CommandHandler = (fw, buf) => receiveUpdate(fw, buf, true);

/** RECEIVE_FINISH (§10.2): RUPDATE → RUNNING; completes a pending ACTIVATE; checks nothing else. */
export const receiveFinish: CommandHandler = (fw, buf) => {
  const bad = checkPlatform(fw, 'RECEIVE_FINISH');
  if (bad) return bad;
  const g = lookupGuest(fw, buf.u32(0));
  if (isResult(g)) return g;
  const wrong = checkGuestState(g, GuestState.RUPDATE, 'RECEIVE_FINISH');
  if (wrong) return wrong;
  const completed = completePendingActivate(fw, g);
  g.channel?.keys.wipe();
  g.channel = undefined;
  fw.ahead?.receive.clear();
  g.state = GuestState.RUNNING;
  return ok(`guest ${g.handle} received; RUNNING${completed ? `; ASID ${g.asid} now active` : ''} (nothing verified)`);
};
