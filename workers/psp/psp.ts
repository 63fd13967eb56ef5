/**
 * The PSP component of one host (reference §1–§13): the SEV firmware behind its mailbox.
 *
 * Its whole API is what the real firmware offers a host — a command id and the physical
 * address of a command buffer in host memory, a status back — plus read-only facts for
 * the inspector (platform state, the GUEST_STATUS-level facts of each guest, ASID states)
 * and, in instructor mode only, the key log. Keys never leave it.
 *
 * Construction: the SEV host builds one {@link SevHardware} per host (RAM, memory
 * controller, WBINVD flags, ASID valid bits) and hands it in, so KVM, guest memory and
 * the PSP see the same bytes and key slots. Every command is one `psp.command` event and
 * advances the virtual clock by the cost model (cost-model.ts).
 */
import { type ChipFuses, labAmdRoot, manufactureChip, type AmdRoot } from './certs/index.js';
import { type VirtualClock } from '../core/clock.js';
import { type EventLog } from '../core/event-log.js';
import { type HostId } from '../core/events.js';
import { type SeededRng } from '../core/rng.js';
import { commandCostNs } from './cost-model.js';
import { Firmware, LAB_FIRMWARE_VERSION, type FirmwareVersion } from './firmware.js';
import { type GuestInfo } from './guest-table.js';
import { guestStateName } from './guest-state.js';
import { type SevHardware } from './hardware.js';
import { KeyLog } from './key-log.js';
import { dispatch, PspMailboxRegisters } from './mailbox.js';
import { PspAhead } from './ahead/index.js';
import { platformStateName, type PlatformStateName } from './platform-state.js';
import { SevStatus, statusName } from './status.js';
import { type AsidFwState } from './asid.js';

declare module '../core/events.js' {
  interface EventKinds {
    /** One PSP mailbox command (never carries key material). */
    'psp.command': {
      /** §4 name, or `0x…` for an id the firmware does not know. */
      cmd: string;
      id: number;
      /** The guest handle the buffer named (the new handle for a successful *_START), else null. */
      handle: number | null;
      /** §6 name without SEV_RET_, or hex. */
      status: string;
      summary: string;
      /** Virtual time the command took, ns. */
      costNs: number;
    };
  }
}

/** How to build a PSP. */
export interface PspOptions {
  /** The host it belongs to: `src`, `dst`, … */
  host: HostId;
  /** Component name in the log; default `psp@<host>`. */
  component?: string;
  /** The host's shared hardware. */
  hardware: SevHardware;
  /** This PSP's RNG stream (a `fork` of the run's RNG); the PSP forks it further. */
  rng: SeededRng;
  clock: VirtualClock;
  log: EventLog;
  /** Instructor mode: keep a key log of every send session's TEK and TIK. */
  instructor?: boolean;
  /** The AMD root that made the chip and that the firmware trusts; default the lab's genuine root. */
  amdRoot?: AmdRoot;
  /** The chip's fuses; default a new chip of `amdRoot` drawn from the RNG. */
  chip?: ChipFuses;
  /** Firmware version; default {@link LAB_FIRMWARE_VERSION}. */
  version?: FirmwareVersion;
}

/** Read-only facts about a PSP for panes and tests (nothing secret). */
export interface PspStatusView {
  state: PlatformStateName;
  externallyOwned: boolean;
  esEnabled: boolean;
  guests: (GuestInfo & { stateName: string })[];
  /** Firmware ASID states, ASID 1 first. */
  asids: AsidFwState[];
}

/** The guest's own view of its memory: accesses with the C-bit set, through its VEK. */
export interface GuestView {
  read(spa: number, len: number): Uint8Array | undefined;
  write(spa: number, data: Uint8Array): boolean;
}

/** The PSP of one host. */
export class Psp {
  readonly host: HostId;
  readonly component: string;
  /** The register interface of §1 (CMDRESP, buffer address). */
  readonly registers: PspMailboxRegisters;
  /**
   * The asynchronous look-ahead for migration pages (psp/ahead/): await `prepareSend` /
   * `prepareReceive` before a batch of SEND/RECEIVE_UPDATE_DATA commands to have their
   * crypto done in bulk; it changes no result.
   */
  readonly ahead: PspAhead;
  private readonly fw: Firmware;
  private readonly clock: VirtualClock;
  private readonly log: EventLog;
  private readonly keys: KeyLog | undefined;

  constructor(opts: PspOptions) {
    this.host = opts.host;
    this.component = opts.component ?? `psp@${opts.host}`;
    this.clock = opts.clock;
    this.log = opts.log;
    const root = opts.amdRoot ?? labAmdRoot();
    const chip = opts.chip ?? manufactureChip(root, opts.rng.fork('chip'));
    this.keys = opts.instructor ? new KeyLog() : undefined;
    const keys = this.keys;
    const onSendKeys = keys
      ? (k: { handle: number; policy: number; nonce: Uint8Array; tek: Uint8Array; tik: Uint8Array }): void =>
          keys.record({ ...k, component: this.component, t: this.clock.now() })
      : undefined;
    const trng = opts.rng.fork('trng');
    this.fw = new Firmware(opts.hardware, trng, opts.version ?? LAB_FIRMWARE_VERSION, chip, root.trustedArk, onSendKeys);
    this.ahead = new PspAhead(this.fw, trng);
    this.fw.ahead = this.ahead;
    this.registers = new PspMailboxRegisters((id, addr) => this.command(id, addr));
  }

  /**
   * Runs one mailbox command: `cmdId` (§4) with the command buffer at physical address
   * `bufPaddr` in host memory (§5 layout). Returns the status (§6). Never throws: any id,
   * address or buffer content gives a status, and a failed command changes no state.
   */
  command(cmdId: number, bufPaddr: bigint | number): number {
    const id = Number.isInteger(cmdId) && cmdId >= 0 ? cmdId : 0xffff_ffff;
    const addr = typeof bufPaddr === 'bigint' ? BigInt.asUintN(64, bufPaddr) : BigInt.asUintN(64, BigInt(Math.max(0, Math.trunc(bufPaddr) || 0)));
    let status: number;
    let summary: string;
    let name: string;
    let handle: number | undefined;
    let bytes: number | undefined;
    try {
      const r = dispatch(this.fw, id, addr);
      ({ status, summary, handle, bytes } = r);
      name = r.spec?.name ?? `0x${id.toString(16)}`;
    } catch (err) {
      // A bug, not an input problem: report it loudly but keep the API total.
      status = SevStatus.HWSEV_RET_UNSAFE;
      summary = `internal error: ${err instanceof Error ? err.message : String(err)}`;
      name = `0x${id.toString(16)}`;
    }
    const costNs = commandCostNs(name, status, bytes);
    this.clock.advance(costNs);
    this.log.append({
      host: this.host,
      component: this.component,
      kind: 'psp.command',
      payload: { cmd: name, id, handle: handle ?? null, status: statusName(status), summary, costNs },
    });
    return status;
  }

  /** Read-only facts for the inspector (what PLATFORM_STATUS and GUEST_STATUS would tell). */
  status(): PspStatusView {
    const fw = this.fw;
    return {
      state: platformStateName(fw.state),
      externallyOwned: fw.identity.externallyOwned,
      esEnabled: fw.esEnabled,
      guests: fw.guests.info().map((g) => ({ ...g, stateName: guestStateName(g.state) })),
      asids: fw.asids.snapshot(),
    };
  }

  /** The key log text (instructor mode only; undefined otherwise). See key-log.ts for the format. */
  keyLog(): string | undefined {
    return this.keys?.text();
  }

  /**
   * The guest's own C-bit accesses to its memory, through its current VEK and the address
   * tweak, whether or not an ASID is bound (what the guest CPU sees; §17.4 `view: "guest"`).
   * For the guest side of the lab only — a host component must never read private memory
   * this way. Undefined when `handle` names no guest.
   */
  guestView(handle: number): GuestView | undefined {
    const { guests, hw } = this.fw;
    if (!guests.get(handle)) return undefined;
    // Looked up on every access: the view follows the handle's current context.
    return {
      read: (spa, len) => {
        const g = guests.get(handle);
        return g ? hw.controller.readWith(spa, len, g.cipher) : undefined;
      },
      write: (spa, data) => {
        const g = guests.get(handle);
        return g ? hw.controller.writeWith(spa, data, g.cipher) : false;
      },
    };
  }
}
