/**
 * The firmware's ASID bookkeeping (reference §13 "ASID hygiene"; FW `activate_common`,
 * `sev_mcmd_deactivate`, `mcmd_df_flush_common`, `sev_mcmd_init_common`).
 *
 * Every SEV ASID is in exactly one firmware state. The lab models one CCX (all cores
 * together), so the FW's per-CCX bit masks collapse to one state per ASID:
 *
 * - `dirty`: may still have cache lines of an old guest; ACTIVATE → DFFLUSH_REQUIRED.
 *   INIT marks every ASID dirty.
 * - `clean`: free; ACTIVATE may take it.
 * - `allocated`: reserved by a *pending* ACTIVATE (guest in LUPDATE, LSECRET or RUPDATE);
 *   the key is in the memory controller but the ASID is not yet valid for VMRUN.
 * - `in-use`: bound to a RUNNING / SUPDATE (or later) guest; valid for VMRUN.
 *
 * DEACTIVATE: in-use → dirty, allocated → clean. DF_FLUSH (after WBINVD on all cores):
 * dirty → clean.
 */

/** Firmware state of one ASID. */
export type AsidFwState = 'dirty' | 'clean' | 'allocated' | 'in-use';

/** The ASID table of one platform. */
export class AsidTable {
  private readonly states: AsidFwState[];

  /** A table for ASIDs 1..`maxAsid`, all dirty (the state INIT leaves them in). */
  constructor(readonly maxAsid: number) {
    this.states = new Array<AsidFwState>(maxAsid).fill('dirty');
  }

  /** True for 1..maxAsid (ASID 0 is the host's; §13 INVALID_ASID otherwise). */
  inRange(asid: number): boolean {
    return Number.isInteger(asid) && asid >= 1 && asid <= this.maxAsid;
  }

  /** The state of `asid` (which must be in range). */
  state(asid: number): AsidFwState {
    return this.states[asid - 1];
  }

  /** In use or reserved by some guest: ACTIVATE on it → ASID_OWNED. */
  isOwned(asid: number): boolean {
    const s = this.states[asid - 1];
    return s === 'in-use' || s === 'allocated';
  }

  /**
   * FW `asid_is_active`: in use, reserved, or dirty. SEND/RECEIVE_UPDATE_* need the
   * guest's ASID to pass this test.
   */
  isActive(asid: number): boolean {
    const s = this.states[asid - 1];
    return s === 'in-use' || s === 'allocated' || s === 'dirty';
  }

  /** INIT: every ASID dirty. */
  markAllDirty(): void {
    this.states.fill('dirty');
  }

  /** DF_FLUSH after WBINVD: dirty → clean. Returns how many ASIDs were cleaned. */
  flushDirty(): number {
    let n = 0;
    for (let i = 0; i < this.states.length; i++) {
      if (this.states[i] === 'dirty') {
        this.states[i] = 'clean';
        n++;
      }
    }
    return n;
  }

  /** Sets the state of `asid` (in range) — the command handlers' single write path. */
  set(asid: number, s: AsidFwState): void {
    this.states[asid - 1] = s;
  }

  /** All states, ASID 1 first (for the inspector and tests). */
  snapshot(): AsidFwState[] {
    return this.states.slice();
  }
}
