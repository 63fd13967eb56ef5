/**
 * Every (command × platform state) cell of reference §2 (FW column), from the data file
 * beside this test: each command with an all-zero buffer in RAM, in UNINIT, INIT and
 * WORKING, and the platform state afterwards.
 */
import { describe, expect, it } from 'vitest';
import { CommandBuffer } from './buffers.js';
import { commandByName } from './command-table.js';
import { statusName } from './status.js';
import { PspLab } from './test-support/psp-lab.js';
import matrix from './platform-state-matrix.json';

type Row = { cmd: string; expect: Record<string, string>; to?: Record<string, string> };

function labIn(state: string): PspLab {
  const lab = new PspLab({ seed: 9 });
  if (state !== 'UNINIT') lab.ok('INIT');
  if (state === 'WORKING') lab.ok('LAUNCH_START');
  return lab;
}

function platformState(lab: PspLab): string {
  return lab.psp.status().state;
}

describe('commands × platform states (§2, FW column)', () => {
  for (const row of matrix.rows as Row[]) {
    it(`${row.cmd}`, () => {
      const got: Record<string, string> = {};
      const to: Record<string, string> = {};
      const wantTo: Record<string, string> = {};
      for (const state of matrix.states) {
        const lab = labIn(state);
        const spec = commandByName(row.cmd);
        const id = spec?.id ?? parseInt(row.cmd, 16);
        const addr = lab.put(new CommandBuffer(Math.max(spec?.size ?? 0, 68)).bytes);
        got[state] = statusName(lab.psp.command(id, addr));
        to[state] = platformState(lab);
        wantTo[state] = row.to?.[state] ?? state;
      }
      expect(got).toEqual(row.expect);
      expect(to).toEqual(wantTo);
    });
  }

  it('DECOMMISSION of the last guest takes WORKING back to INIT, not before', () => {
    const lab = labIn('INIT');
    const a = lab.ok('LAUNCH_START').buf.u32(0);
    const b = lab.ok('LAUNCH_START').buf.u32(0);
    lab.ok('DECOMMISSION', { handle: a });
    expect(platformState(lab)).toBe('WORKING');
    lab.ok('DECOMMISSION', { handle: b });
    expect(platformState(lab)).toBe('INIT');
  });

  it('SHUTDOWN destroys every guest context; INIT after it starts with none', () => {
    const lab = new PspLab({ seed: 3 });
    lab.init();
    const g = lab.guestIn('RUNNING');
    lab.ok('SHUTDOWN');
    expect(lab.psp.status().guests).toEqual([]);
    lab.ok('INIT');
    expect(lab.cmd('GUEST_STATUS', { handle: g.handle }).buf.u8(12)).toBe(0);
    const ps = lab.ok('PLATFORM_STATUS').buf;
    expect([ps.u8(2), ps.u32(8)]).toEqual([1, 0]);
  });

  it('PLATFORM_STATUS reports version, state, owner, ES and guest count; UNINIT zeroes owner, ES and count', () => {
    const lab = new PspLab({ seed: 4 });
    const tmr = 0x4000_0000 + (32 << 20);
    lab.ok('INIT', { flags: 1, tmr_paddr: tmr, tmr_len: 1 << 20 });
    lab.ok('LAUNCH_START');
    const s = lab.ok('PLATFORM_STATUS').buf;
    expect([s.u8(0), s.u8(1), s.u8(2), s.u8(3), s.u16(4), s.u8(7), s.u32(8)]).toEqual([1, 55, 2, 0, 1, 25, 1]);
    lab.ok('SHUTDOWN');
    const u = lab.ok('PLATFORM_STATUS').buf;
    expect([u.u8(2), u.u8(3), u.u16(4), u.u32(8)]).toEqual([0, 0, 0, 0]);
  });

  it('INIT checks its buffer: reserved flags → INVALID_CONFIG, bad TMR → INVALID_ADDRESS / INVALID_LEN, nothing changed', () => {
    const lab = new PspLab({ seed: 4 });
    expect(statusName(lab.cmd('INIT', { flags: 2 }).status)).toBe('INVALID_CONFIG');
    expect(statusName(lab.cmd('INIT', { flags: 1, tmr_paddr: 0x4000_1000, tmr_len: 1 << 20 }).status)).toBe('INVALID_ADDRESS');
    expect(statusName(lab.cmd('INIT', { flags: 1, tmr_paddr: 0x4000_0000, tmr_len: 4096 }).status)).toBe('INVALID_LEN');
    expect(statusName(lab.cmd('INIT', { flags: 1, tmr_paddr: 0x7ff0_0000, tmr_len: 1 << 20 }).status)).toBe('INVALID_ADDRESS');
    expect(platformState(lab)).toBe('UNINIT');
  });

  it('the command buffer outside RAM is INVALID_ADDRESS; commands without a buffer ignore the address', () => {
    const lab = new PspLab({ seed: 4 });
    expect(statusName(lab.psp.command(commandByName('INIT')!.id, 0x9_0000_0000n))).toBe('INVALID_ADDRESS');
    expect(statusName(lab.psp.command(commandByName('INIT')!.id, 2n ** 64n - 16n))).toBe('INVALID_ADDRESS');
    lab.ok('INIT');
    expect(statusName(lab.psp.command(commandByName('PDH_GEN')!.id, 0xdead_beefn))).toBe('SUCCESS');
  });
});
