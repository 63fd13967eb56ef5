/**
 * Guest management commands (reference §3, §13): ACTIVATE, DEACTIVATE, DECOMMISSION,
 * GUEST_STATUS — and with them the ASID hygiene of §13. Order of checks follows FW
 * `sev_mcmd_activate` / `mcmd_activate_common` / `activate_common` / `sev_guest_activate`,
 * `sev_mcmd_deactivate`, `sev_mcmd_decommission`, `sev_mcmd_guest_status`.
 */
import { guestStateName, GuestState } from '../guest-state.js';
import { PlatformState } from '../platform-state.js';
import { SevStatus } from '../status.js';
import { checkPlatform, fail, isResult, lookupGuest, ok, type CommandHandler } from './common.js';

/**
 * ACTIVATE (§13): binds a guest to an ASID and loads its VEK into the memory controller.
 * Full effect only for RUNNING / SUPDATE guests; otherwise the ACTIVATE stays pending (the
 * ASID is reserved) until LAUNCH_FINISH / RECEIVE_FINISH completes it.
 */
export const activate: CommandHandler = (fw, buf) => {
  const bad = checkPlatform(fw, 'ACTIVATE');
  if (bad) return bad;
  const g = lookupGuest(fw, buf.u32(0));
  if (isResult(g)) return g;
  const asid = buf.u32(4);
  const { asids, hw } = fw;
  if (!asids.inRange(asid)) return fail(SevStatus.INVALID_ASID, `ASID ${asid} is 0 or above the maximum ${asids.maxAsid}`);
  if (asids.isOwned(asid)) return fail(SevStatus.ASID_OWNED, `ASID ${asid} is ${asids.state(asid)}`);
  if (g.activation !== 'inactive') return fail(SevStatus.ACTIVE, `guest ${g.handle} already holds ASID ${g.asid}`);
  if (g.state === GuestState.SENT) return fail(SevStatus.INVALID_GUEST_STATE, `guest ${g.handle} is SENT`);
  if (asids.state(asid) === 'dirty') return fail(SevStatus.DFFLUSH_REQUIRED, `ASID ${asid} is dirty: WBINVD and DF_FLUSH first`);
  // The ES/SEV split of the ASID space (FW `sev_es_validate_asid`), only when the CPU has one.
  const { minSevAsid } = hw.cpu;
  if (minSevAsid > 1 && (g.es ? asid >= minSevAsid : asid < minSevAsid)) {
    return fail(SevStatus.INVALID_ASID, `ASID ${asid} is not in the ${g.es ? 'SEV-ES' : 'SEV'} range`);
  }
  hw.controller.installKey(asid, g.cipher);
  g.asid = asid;
  if (g.state === GuestState.RUNNING || g.state === GuestState.SUPDATE) {
    g.activation = 'active';
    asids.set(asid, 'in-use');
    hw.setAsidValid(asid, true);
    return ok(`guest ${g.handle} active on ASID ${asid}`);
  }
  g.activation = 'pending';
  asids.set(asid, 'allocated');
  return ok(`guest ${g.handle} (${guestStateName(g.state)}) pending on ASID ${asid}`);
};

/**
 * DEACTIVATE (§13): unbinds the guest's ASID. An ASID the guest ran on becomes dirty (and
 * the cores' WBINVD_DONE flags are cleared); a still-pending one goes back clean.
 */
export const deactivate: CommandHandler = (fw, buf) => {
  const bad = checkPlatform(fw, 'DEACTIVATE');
  if (bad) return bad;
  const g = lookupGuest(fw, buf.u32(0));
  if (isResult(g)) return g;
  if (g.activation === 'inactive') return fail(SevStatus.INACTIVE, `guest ${g.handle} holds no ASID`);
  const asid = g.asid;
  const wasRunning = fw.asids.state(asid) === 'in-use';
  if (wasRunning) {
    fw.hw.setAsidValid(asid, false);
    fw.hw.clearWbinvdDone();
    fw.asids.set(asid, 'dirty');
  } else {
    fw.asids.set(asid, 'clean');
  }
  g.asid = 0;
  g.activation = 'inactive';
  return ok(`guest ${g.handle} released ASID ${asid} (${wasRunning ? 'dirty' : 'clean'})`);
};

/** DECOMMISSION (§3): frees the guest's slot; ACTIVE while it holds an ASID; last guest → INIT. */
export const decommission: CommandHandler = (fw, buf) => {
  const bad = checkPlatform(fw, 'DECOMMISSION');
  if (bad) return bad;
  const g = lookupGuest(fw, buf.u32(0));
  if (isResult(g)) return g;
  if (g.asid !== 0 && fw.asids.isActive(g.asid)) return fail(SevStatus.ACTIVE, `guest ${g.handle} still holds ASID ${g.asid}`);
  fw.guests.remove(g.handle);
  if (fw.guests.count === 0) fw.state = PlatformState.INIT;
  return ok(`guest ${g.handle} decommissioned${fw.guests.count === 0 ? '; platform back to INIT' : ''}`);
};

/**
 * GUEST_STATUS (§3): INIT or WORKING. Quirk kept from the Genoa FW: an invalid handle
 * gives SUCCESS with state 0 (policy and asid are left as the host wrote them).
 */
export const guestStatus: CommandHandler = (fw, buf) => {
  const bad = checkPlatform(fw, 'GUEST_STATUS');
  if (bad) return bad;
  const handle = buf.u32(0);
  const g = fw.guests.get(handle);
  if (!g) {
    buf.setU8(12, GuestState.UNINIT);
    return ok(`handle ${handle}: no guest (state 0)`);
  }
  buf.setU32(4, g.policy);
  buf.setU32(8, g.activation === 'inactive' ? 0 : g.asid);
  buf.setU8(12, g.state);
  return ok(`guest ${g.handle}: ${guestStateName(g.state)}, ASID ${g.asid}, policy 0x${g.policy.toString(16)}`);
};
