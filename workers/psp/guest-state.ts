/**
 * The guest state machine (reference §3). The firmware drives every guest transition
 * from one table (FW sev_guest.c `state_tbl_sev`); any other (state, command) pair is
 * INVALID_GUEST_STATE. Commands that do not transition check their required state
 * themselves (§3 second table); those checks live in the command handlers, in the
 * firmware's order.
 */

/** Guest states as GUEST_STATUS reports them (§3). UNINIT is the FW's INVALID: a free slot. */
export const GuestState = {
  UNINIT: 0,
  LUPDATE: 1,
  LSECRET: 2,
  RUNNING: 3,
  SUPDATE: 4,
  RUPDATE: 5,
  SENT: 6,
} as const;

/** A guest state value. */
export type GuestStateValue = (typeof GuestState)[keyof typeof GuestState];

/** A guest state's name. */
export type GuestStateName = keyof typeof GuestState;

const NAMES = Object.fromEntries(Object.entries(GuestState).map(([k, v]) => [v, k])) as Record<number, GuestStateName>;

/** The name of a guest state value (`'RUNNING'`), or `'UNINIT'` for anything unknown. */
export function guestStateName(v: number): GuestStateName {
  return NAMES[v] ?? 'UNINIT';
}

/** Commands that change a guest's state. */
export type TransitionCommand =
  | 'LAUNCH_START'
  | 'LAUNCH_MEASURE'
  | 'LAUNCH_FINISH'
  | 'SEND_START'
  | 'SEND_FINISH'
  | 'SEND_CANCEL'
  | 'RECEIVE_START'
  | 'RECEIVE_FINISH'
  | 'DECOMMISSION';

const { UNINIT, LUPDATE, LSECRET, RUNNING, SUPDATE, RUPDATE, SENT } = GuestState;

/** The transition table of §3: [from, command, to]. */
export const GUEST_TRANSITIONS: readonly (readonly [GuestStateValue, TransitionCommand, GuestStateValue])[] = [
  [LUPDATE, 'DECOMMISSION', UNINIT],
  [LSECRET, 'DECOMMISSION', UNINIT],
  [RUNNING, 'DECOMMISSION', UNINIT],
  [SUPDATE, 'DECOMMISSION', UNINIT],
  [RUPDATE, 'DECOMMISSION', UNINIT],
  [SENT, 'DECOMMISSION', UNINIT],
  [UNINIT, 'LAUNCH_START', LUPDATE],
  [LUPDATE, 'LAUNCH_MEASURE', LSECRET],
  [LSECRET, 'LAUNCH_FINISH', RUNNING],
  [RUNNING, 'SEND_START', SUPDATE],
  [SUPDATE, 'SEND_FINISH', SENT],
  [SUPDATE, 'SEND_CANCEL', RUNNING],
  [UNINIT, 'RECEIVE_START', RUPDATE],
  [RUPDATE, 'RECEIVE_FINISH', RUNNING],
];

/** The state `cmd` moves a guest in `from` to, or undefined (INVALID_GUEST_STATE). */
export function guestTransition(from: GuestStateValue, cmd: TransitionCommand): GuestStateValue | undefined {
  for (const [a, c, b] of GUEST_TRANSITIONS) if (a === from && c === cmd) return b;
  return undefined;
}
