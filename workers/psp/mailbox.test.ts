/**
 * The mailbox register convention of reference §1: the buffer address in two 32-bit
 * registers, `(id << 16) | IOC` written to CMDRESP, then RESP (bit 31) | status.
 */
import { describe, expect, it } from 'vitest';
import { SevCmd } from './command-table.js';
import { PSP_CMDRESP_IOC, PSP_CMDRESP_RESP } from './mailbox.js';
import { SevStatus } from './status.js';
import { PspLab } from './test-support/psp-lab.js';

describe('PSP mailbox registers (§1)', () => {
  it('runs the command named in CMDRESP on the buffer at the address registers', () => {
    const lab = new PspLab();
    const regs = lab.psp.registers;
    const buf = lab.alloc(12);
    regs.cmdBufAddrLo = Number(buf & 0xffffffffn);
    regs.cmdBufAddrHi = Number(buf >> 32n);
    regs.writeCmdResp(((SevCmd.PLATFORM_STATUS << 16) | PSP_CMDRESP_IOC) >>> 0);
    expect(regs.readCmdResp()).toBe((PSP_CMDRESP_RESP | SevStatus.SUCCESS) >>> 0);
    expect(lab.read(buf, 3)).toEqual(Uint8Array.of(1, 55, 0));
    regs.writeCmdResp(((SevCmd.SHUTDOWN << 16) | PSP_CMDRESP_IOC) >>> 0);
    regs.writeCmdResp((0x1ff << 16) >>> 0);
    expect(regs.readCmdResp()).toBe((PSP_CMDRESP_RESP | SevStatus.INVALID_COMMAND) >>> 0);
    regs.writeCmdResp((SevCmd.DF_FLUSH << 16) >>> 0);
    expect(regs.readCmdResp() & 0xffff).toBe(SevStatus.WBINVD_REQUIRED);
  });

  it('never throws for odd ids or addresses passed to command()', () => {
    const lab = new PspLab();
    for (const [id, addr] of [
      [-1, 0],
      [1.5, 0],
      [0x10000, 0],
      [1, -5],
      [1, Number.NaN],
      [1, 2 ** 70],
    ] as [number, number][]) {
      expect(() => lab.psp.command(id, addr)).not.toThrow();
    }
  });
});
