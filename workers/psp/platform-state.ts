/**
 * The platform state machine (reference §2): UNINIT → INIT → WORKING and back, and which
 * platform states each command accepts. The lab follows the firmware column of §2 ("Lab
 * choice: follow FW"), not the older spec list: PEK_CSR also works in WORKING, SHUTDOWN
 * works in any state, DF_FLUSH and GET_ID check no state at all.
 */

/** Platform states as PLATFORM_STATUS reports them (§2). */
export const PlatformState = { UNINIT: 0, INIT: 1, WORKING: 2 } as const;

/** A platform state value. */
export type PlatformStateValue = (typeof PlatformState)[keyof typeof PlatformState];

/** A platform state's name. */
export type PlatformStateName = keyof typeof PlatformState;

/** The name of a platform state value. */
export function platformStateName(v: number): PlatformStateName {
  return v === 1 ? 'INIT' : v === 2 ? 'WORKING' : 'UNINIT';
}

const { UNINIT, INIT, WORKING } = PlatformState;
const ANY = [UNINIT, INIT, WORKING] as const;
const INIT_OR_WORKING = [INIT, WORKING] as const;

/**
 * Platform states in which each command passes its state check (FW column of §2). A
 * command not listed here has no state check. Wrong state → INVALID_PLATFORM_STATE.
 */
export const LEGAL_PLATFORM_STATES: Readonly<Record<string, readonly PlatformStateValue[]>> = {
  INIT: [UNINIT],
  SHUTDOWN: ANY,
  PLATFORM_RESET: [UNINIT],
  PLATFORM_STATUS: ANY,
  PEK_GEN: [INIT],
  PEK_CSR: INIT_OR_WORKING,
  PEK_CERT_IMPORT: [INIT],
  PDH_GEN: INIT_OR_WORKING,
  PDH_CERT_EXPORT: INIT_OR_WORKING,
  DF_FLUSH: ANY,
  GET_ID: ANY,
  LAUNCH_START: INIT_OR_WORKING,
  RECEIVE_START: INIT_OR_WORKING,
  GUEST_STATUS: INIT_OR_WORKING,
  DECOMMISSION: [WORKING],
  ACTIVATE: [WORKING],
  DEACTIVATE: [WORKING],
  LAUNCH_UPDATE_DATA: [WORKING],
  LAUNCH_UPDATE_VMSA: [WORKING],
  LAUNCH_MEASURE: [WORKING],
  LAUNCH_SECRET: [WORKING],
  LAUNCH_FINISH: [WORKING],
  SEND_START: [WORKING],
  SEND_UPDATE_DATA: [WORKING],
  SEND_UPDATE_VMSA: [WORKING],
  SEND_FINISH: [WORKING],
  SEND_CANCEL: [WORKING],
  RECEIVE_UPDATE_DATA: [WORKING],
  RECEIVE_UPDATE_VMSA: [WORKING],
  RECEIVE_FINISH: [WORKING],
  DBG_DECRYPT: [WORKING],
  DBG_ENCRYPT: [WORKING],
};

/** True when `cmd` passes its platform-state check in `state`. */
export function platformStateAllows(cmd: string, state: PlatformStateValue): boolean {
  const legal = LEGAL_PLATFORM_STATES[cmd];
  return legal === undefined || legal.includes(state);
}
