/**
 * Every (guest command × guest state) cell of reference §3, from the data file beside
 * this test: the status with a well-formed buffer, and the guest state afterwards (the
 * §3 transition table for a SUCCESS, unchanged otherwise).
 */
import { describe, expect, it } from 'vitest';
import { SevStatus, statusName } from './status.js';
import { GuestState } from './guest-state.js';
import { PspLab, type Fixture, type FixtureState } from './test-support/psp-lab.js';
import matrix from './guest-state-matrix.json';

type Row = { cmd: string; fixture: 'active' | 'inactive'; expect: Record<string, string> };
const FREE_HANDLE = 999;
const MAX_ASID = 100;

/** A well-formed buffer for `cmd` on guest `g` (or on a free handle). */
function fieldsFor(lab: PspLab, cmd: string, g: Fixture | undefined): Record<string, number | bigint> {
  const handle = g?.handle ?? FREE_HANDLE;
  const page = g?.page ?? lab.newPage();
  const transport = (hdr: Uint8Array, trans: Uint8Array) => ({
    handle,
    hdr_paddr: lab.put(hdr),
    hdr_len: 52,
    guest_paddr: page,
    guest_len: trans.length,
    trans_paddr: lab.put(trans),
    trans_len: trans.length,
  });
  switch (cmd) {
    case 'ACTIVATE':
      return { handle, asid: lab.freshAsid() };
    case 'LAUNCH_UPDATE_DATA':
    case 'LAUNCH_UPDATE_VMSA':
      return { handle, paddr: page, len: 4096 };
    case 'LAUNCH_MEASURE':
      return { handle, paddr: lab.alloc(48), len: 48 };
    case 'LAUNCH_SECRET': {
      const keys = g?.keys;
      const sealed = keys ? keys.sealSecret(new Uint8Array(16).fill(7), new Uint8Array(16).fill(1), g?.measurement ?? new Uint8Array(32)) : undefined;
      return sealed ? transport(sealed.hdr, sealed.trans) : transport(new Uint8Array(52), new Uint8Array(16));
    }
    case 'SEND_START':
      return { handle, pdh_cert_paddr: lab.put(lab.pdhCert()), pdh_cert_len: 2084, session_paddr: lab.alloc(128), session_len: 128 };
    case 'SEND_UPDATE_DATA':
    case 'SEND_UPDATE_VMSA':
      return { handle, hdr_paddr: lab.alloc(52), hdr_len: 52, guest_paddr: page, guest_len: 4096, trans_paddr: lab.alloc(4096), trans_len: 4096 };
    case 'RECEIVE_UPDATE_DATA':
    case 'RECEIVE_UPDATE_VMSA': {
      const sealed = (g?.keys ?? undefined)?.sealPacket(new Uint8Array(4096).fill(9), new Uint8Array(16).fill(2));
      return sealed ? transport(sealed.hdr, sealed.trans) : transport(new Uint8Array(52), new Uint8Array(4096));
    }
    case 'DBG_DECRYPT':
      return { handle, src_paddr: page, dst_paddr: lab.alloc(16), len: 16 };
    case 'DBG_ENCRYPT':
      return { handle, src_paddr: lab.put(new Uint8Array(16).fill(5)), dst_paddr: page, len: 16 };
    default:
      return { handle };
  }
}

const transitions = matrix.transitions as [string, string, string][];

function stateAfter(from: string, cmd: string, status: number): string {
  if (status !== SevStatus.SUCCESS) return from;
  return transitions.find(([a, c]) => a === from && c === cmd)?.[2] ?? from;
}

describe('guest commands × guest states (§3)', () => {
  for (const row of matrix.rows as Row[]) {
    it(`${row.cmd} on ${row.fixture} guests`, () => {
      const lab = new PspLab({ seed: 5, maxAsid: MAX_ASID });
      lab.init();
      lab.ok('LAUNCH_START', {}); // keeps the platform WORKING whatever the row does
      const got: Record<string, string> = {};
      const after: Record<string, string> = {};
      const want: Record<string, string> = {};
      for (const state of matrix.states) {
        const g = state === 'FREE' ? undefined : lab.guestIn(state as FixtureState, { activate: row.fixture === 'active' });
        const r = lab.cmd(row.cmd, fieldsFor(lab, row.cmd, g));
        got[state] = statusName(r.status);
        if (g) {
          const st = lab.cmd('GUEST_STATUS', { handle: g.handle }).buf.u8(12);
          after[state] = Object.keys(GuestState).find((k) => GuestState[k as keyof typeof GuestState] === st)!;
          want[state] = stateAfter(state, row.cmd, r.status);
        }
      }
      expect(got).toEqual(row.expect);
      expect(after).toEqual(want);
    });
  }

  it('the data file lists every transition of guest-state.ts and nothing else', async () => {
    const { GUEST_TRANSITIONS } = await import('./guest-state.js');
    const names = (v: number) => Object.keys(GuestState).find((k) => GuestState[k as keyof typeof GuestState] === v);
    const fromCode = GUEST_TRANSITIONS.map(([a, c, b]) => [names(a), c, names(b)]);
    expect(new Set(fromCode.map((t) => t.join()))).toEqual(new Set(transitions.map((t) => t.join())));
  });
});
