/**
 * Helpers shared by the command handlers: results, the platform-state check of §2, the
 * guest lookup of §1 and the crypto-result bridge. Each handler calls them in the
 * firmware's order of checks, so the order is visible in the handler itself.
 */
import { type CryptoFailure } from '../crypto/index.js';
import { type CommandBuffer } from '../buffers.js';
import { type CommandResult, type Firmware } from '../firmware.js';
import { type GuestContext } from '../guest-table.js';
import { platformStateAllows, platformStateName } from '../platform-state.js';
import { SevStatus } from '../status.js';

/** A command handler: the PSP-private copy of the command buffer in, a status out. */
export type CommandHandler = (fw: Firmware, buf: CommandBuffer) => CommandResult;

/** SUCCESS with a summary (and the bytes of guest data processed, for the cost model). */
export function ok(summary: string, bytes?: number): CommandResult {
  return bytes === undefined ? { status: SevStatus.SUCCESS, summary } : { status: SevStatus.SUCCESS, summary, bytes };
}

/** A failure status with a reason. */
export function fail(status: number, summary: string): CommandResult {
  return { status, summary };
}

/** The status a crypto/cert failure maps to (the crypto layer names §6 statuses). */
export function cryptoFailure(f: CryptoFailure): CommandResult {
  return fail(SevStatus[f.status], f.reason);
}

/** INVALID_PLATFORM_STATE unless `cmd` is legal in the current platform state (§2, FW column). */
export function checkPlatform(fw: Firmware, cmd: string): CommandResult | undefined {
  if (platformStateAllows(cmd, fw.state)) return undefined;
  return fail(SevStatus.INVALID_PLATFORM_STATE, `${cmd} not allowed in platform state ${platformStateName(fw.state)}`);
}

/** The guest of `handle`, or INVALID_GUEST (out of range or a free slot, §1). */
export function lookupGuest(fw: Firmware, handle: number): GuestContext | CommandResult {
  return fw.guests.get(handle) ?? fail(SevStatus.INVALID_GUEST, `no guest with handle ${handle}`);
}

/** True for a {@link CommandResult} (as opposed to a guest context). */
export function isResult(x: GuestContext | CommandResult): x is CommandResult {
  return 'status' in x;
}

/** True when `v` is a multiple of 16 (FW `IS_ALIGNED_TO_16_BYTES`). */
export function aligned16(v: number | bigint): boolean {
  return BigInt(v) % 16n === 0n;
}

/** `0x1000`-style hex for summaries. */
export function hex(v: number | bigint): string {
  return `0x${v.toString(16)}`;
}
