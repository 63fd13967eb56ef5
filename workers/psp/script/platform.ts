/**
 * One emulated host of a psp-script run (reference §17.1): a fresh PSP in UNINIT with
 * empty persistent state, its hardware, and the runner's memory layout — where it puts
 * command buffers and blobs, and where each guest context's memory lives.
 *
 * [U] lab layout (the script never sees system addresses, §17.3):
 * - host buffers: RAM at 4 GiB..68 GiB, handed out 16-byte aligned, never reused, so every
 *   buffer starts zeroed and an untouched one costs nothing;
 * - guest memory: 16 MiB of RAM per guest context, at 1 TiB + n·64 GiB for the n-th
 *   context created on this platform (a reused handle gets a fresh, zeroed region);
 * - a guest address that is not in a known guest's memory maps to 2^51 | gpa, which is
 *   never RAM, so the PSP answers it with INVALID_ADDRESS (or an earlier check).
 * Physical address 0 is not RAM: `X_paddr: 0` means "no buffer".
 */
import { type VirtualClock } from '../../core/clock.js';
import { type EventLog } from '../../core/event-log.js';
import { type SeededRng } from '../../core/rng.js';
import { SevHardware } from '../hardware.js';
import { Psp } from '../psp.js';
import { ScriptError } from './values.js';

/** Base of the runner's host-buffer RAM. */
export const HOST_BUF_BASE = 0x1_0000_0000;
/** Size of the host-buffer RAM. */
export const HOST_BUF_SIZE = 0x10_0000_0000;
/** Base of the first guest's memory. */
export const GUEST_BASE = 0x100_0000_0000;
/** Distance between two guests' memory. */
export const GUEST_STRIDE = 0x10_0000_0000;
/** Guest memory per context (§17.1: at least 1 MiB). */
export const GUEST_RAM_SIZE = 16 << 20;
/** Where addresses outside any guest go: never RAM. */
const UNMAPPED = 1n << 51n;

/** A platform of a script run. */
export class ScriptPlatform {
  readonly hw: SevHardware;
  readonly psp: Psp;
  private nextBuf = HOST_BUF_BASE;
  private readonly regions = new Map<number, number>();
  private created = 0;

  constructor(readonly name: string, rng: SeededRng, clock: VirtualClock, log: EventLog, instructor: boolean) {
    this.hw = new SevHardware({ ram: [{ base: HOST_BUF_BASE, size: HOST_BUF_SIZE }] });
    this.psp = new Psp({ host: name, hardware: this.hw, rng, clock, log, instructor });
  }

  /** A fresh zeroed host buffer of `len` bytes (16-byte aligned); 0 for an empty request. */
  alloc(len: number): bigint {
    if (len === 0) return 0n;
    const at = this.nextBuf;
    const end = at + Math.ceil(len / 16) * 16;
    if (end > HOST_BUF_BASE + HOST_BUF_SIZE) throw new ScriptError(`platform ${this.name}: host buffer space exhausted`);
    this.nextBuf = end;
    return BigInt(at);
  }

  /** Copies `data` into a fresh host buffer of at least `minLen` bytes; returns its address. */
  place(data: Uint8Array, minLen = 0): bigint {
    const addr = this.alloc(Math.max(data.length, minLen, 1));
    this.hw.memory.write(Number(addr), data);
    return addr;
  }

  /** Gives `handle` fresh, zeroed guest memory (a new context was created). */
  newGuestMemory(handle: number): void {
    const base = GUEST_BASE + this.created * GUEST_STRIDE;
    this.created++;
    this.hw.memory.addRange(base, GUEST_RAM_SIZE);
    this.regions.set(handle, base);
  }

  /** True when the runner has given `handle` memory on this platform. */
  knowsGuest(handle: number): boolean {
    return this.regions.has(handle);
  }

  /** The system address of guest-physical `gpa` of `handle` (see the file header for the unmapped case). */
  guestSpa(handle: number, gpa: bigint): bigint {
    const base = this.regions.get(handle);
    if (base !== undefined && gpa < BigInt(GUEST_RAM_SIZE)) return BigInt(base) + gpa;
    return gpa < UNMAPPED ? UNMAPPED | gpa : gpa;
  }

  /** The system address of `[gpa, gpa + len)` of a known guest, or a ScriptError (mem steps). */
  guestRange(handle: number, gpa: bigint, len: number): number {
    const base = this.regions.get(handle);
    if (base === undefined) throw new ScriptError(`platform ${this.name}: unknown handle ${handle}`);
    if (gpa + BigInt(len) > BigInt(GUEST_RAM_SIZE)) {
      throw new ScriptError(`gpa 0x${gpa.toString(16)}+${len} is outside the guest's ${GUEST_RAM_SIZE >> 20} MiB`);
    }
    return base + Number(gpa);
  }
}
