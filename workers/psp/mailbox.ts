/**
 * The PSP mailbox (reference §1): a command id and the physical address of a command
 * buffer in, a status out — plus the register convention Linux's driver uses.
 *
 * Dispatch follows FW `sev_dispatch_master`: an id the lab's firmware does not implement
 * is INVALID_COMMAND before anything is read; the buffer is copied from host memory into
 * PSP-private memory (INVALID_ADDRESS if it is not RAM) unless the command has none or
 * only outputs; the handler runs on the copy; the copy is written back per the command's
 * {@link BufferMode}. Bits of a u64 address above RAM simply fail as INVALID_ADDRESS.
 */
import { CommandBuffer } from './buffers.js';
import { commandById, type CommandSpec } from './command-table.js';
import { HANDLERS } from './commands/index.js';
import { type CommandResult, type Firmware } from './firmware.js';
import { SevStatus } from './status.js';

/** `CMDRESP` bit layout (K-psp-dev.h). */
export const PSP_CMDRESP_CMD_SHIFT = 16;
/** Bit 0: interrupt on completion. */
export const PSP_CMDRESP_IOC = 1;
/** Bit 31: the firmware has answered. */
export const PSP_CMDRESP_RESP = 0x8000_0000;
/** Low 16 bits: the status. */
export const PSP_CMDRESP_ERR_MASK = 0xffff;

/** What one dispatch did. */
export interface DispatchResult extends CommandResult {
  /** The command's spec, undefined for an unknown id. */
  spec: CommandSpec | undefined;
  /** The guest handle the buffer named (or LAUNCH/RECEIVE_START's new handle on success). */
  handle: number | undefined;
}

/** Runs one command against `fw` (see the file header). Never throws for any input. */
export function dispatch(fw: Firmware, cmdId: number, bufAddr: bigint): DispatchResult {
  const spec = commandById(cmdId);
  if (!spec) {
    return { spec, handle: undefined, status: SevStatus.INVALID_COMMAND, summary: `unknown command id 0x${cmdId.toString(16)}` };
  }
  let buf: CommandBuffer;
  if (spec.mode === 'none' || spec.mode === 'output') {
    buf = new CommandBuffer(spec.size);
  } else {
    const bytes = fw.readHost(bufAddr, spec.size);
    if (!bytes) {
      return { spec, handle: undefined, status: SevStatus.INVALID_ADDRESS, summary: 'command buffer outside RAM' };
    }
    buf = new CommandBuffer(bytes);
  }
  const named = spec.fields.some((f) => f.name === 'handle') ? buf.u32(0) : undefined;
  const r = HANDLERS[spec.name as keyof typeof HANDLERS](fw, buf);
  let status = r.status;
  const writeBack =
    (status === SevStatus.SUCCESS && spec.mode !== 'none' && spec.mode !== 'input') ||
    (status === SevStatus.INVALID_LEN && spec.mode === 'inout-error');
  if (writeBack && !fw.writeHost(bufAddr, buf.bytes) && status === SevStatus.SUCCESS) status = SevStatus.INVALID_ADDRESS;
  const created = (spec.name === 'LAUNCH_START' || spec.name === 'RECEIVE_START') && r.status === SevStatus.SUCCESS;
  return { ...r, status, spec, handle: created ? buf.u32(0) : named };
}

/** The mailbox registers of reference §1, for code that drives the PSP the way Linux does. */
export class PspMailboxRegisters {
  /** `C2PMSG_56`/`57`: the command buffer's physical address, low and high halves. */
  cmdBufAddrLo = 0;
  cmdBufAddrHi = 0;
  private cmdResp = 0;

  /** `run(id, addr)` executes one command and returns its status. */
  constructor(private readonly run: (cmdId: number, addr: bigint) => number) {}

  /**
   * Writes CMDRESP: `(command_id << 16) | IOC`. The command runs at once (virtual time
   * advances inside the PSP); afterwards CMDRESP reads RESP | status.
   */
  writeCmdResp(value: number): void {
    const cmdId = (value >>> PSP_CMDRESP_CMD_SHIFT) & 0x7fff;
    const addr = (BigInt(this.cmdBufAddrHi >>> 0) << 32n) | BigInt(this.cmdBufAddrLo >>> 0);
    const status = this.run(cmdId, addr);
    this.cmdResp = (PSP_CMDRESP_RESP | (status & PSP_CMDRESP_ERR_MASK)) >>> 0;
  }

  /** Reads CMDRESP (bit 31 set once a command has completed, low 16 bits its status). */
  readCmdResp(): number {
    return this.cmdResp;
  }
}
