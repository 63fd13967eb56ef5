/**
 * The length-query convention of reference §1: for PEK_CSR, PDH_CERT_EXPORT, GET_ID,
 * LAUNCH_MEASURE, SEND_START and SEND_UPDATE_DATA/VMSA a too-small length gives
 * INVALID_LEN *and* the buffer written back with the needed length; every other command
 * (and every other error) writes nothing back.
 */
import { describe, expect, it } from 'vitest';
import { CommandBuffer } from './buffers.js';
import { commandByName, type BufferField } from './command-table.js';
import { statusName } from './status.js';
import { PspLab } from './test-support/psp-lab.js';

function lab(): PspLab {
  const l = new PspLab({ seed: 21 });
  l.init();
  return l;
}

describe('length queries (§1)', () => {
  const queries: [string, (l: PspLab) => { cmd: string; fields: Record<string, number | bigint> }, Record<string, number>][] = [
    ['PEK_CSR len 0', () => ({ cmd: 'PEK_CSR', fields: {} }), { len: 2084 }],
    ['PEK_CSR len 2083', (l) => ({ cmd: 'PEK_CSR', fields: { paddr: l.alloc(4096), len: 2083 } }), { len: 2084 }],
    ['PDH_CERT_EXPORT 0/0', () => ({ cmd: 'PDH_CERT_EXPORT', fields: {} }), { pdh_len: 2084, chain_len: 6252 }],
    ['PDH_CERT_EXPORT chain short', (l) => ({ cmd: 'PDH_CERT_EXPORT', fields: { pdh_paddr: l.alloc(2084), pdh_len: 2084, chain_len: 6251 } }), { pdh_len: 2084, chain_len: 6252 }],
    ['GET_ID len 0', () => ({ cmd: 'GET_ID', fields: {} }), { len: 64 }],
    ['LAUNCH_MEASURE len 0', (l) => ({ cmd: 'LAUNCH_MEASURE', fields: { handle: l.guestIn('LUPDATE').handle } }), { len: 48 }],
    ['SEND_START session_len 0', (l) => ({ cmd: 'SEND_START', fields: { handle: l.guestIn('RUNNING').handle } }), { session_len: 128 }],
    ['SEND_START session_len 256', (l) => ({ cmd: 'SEND_START', fields: { handle: l.guestIn('RUNNING').handle, session_len: 256 } }), { session_len: 128 }],
    ['SEND_UPDATE_DATA hdr_len 0, bad handle', (l) => working(l, 'SEND_UPDATE_DATA', { handle: 77 }), { hdr_len: 52, trans_len: 0 }],
    ['SEND_UPDATE_VMSA hdr_len 51', (l) => working(l, 'SEND_UPDATE_VMSA', { hdr_len: 51 }), { hdr_len: 52 }],
  ];
  for (const [name, make, want] of queries) {
    it(`${name} → INVALID_LEN with the needed length written back`, () => {
      const l = lab();
      const { cmd, fields } = make(l);
      const r = l.cmd(cmd, fields);
      expect(statusName(r.status)).toBe('INVALID_LEN');
      for (const [f, v] of Object.entries(want)) expect(Number(r.buf.get(fieldNamed(cmd, f))), f).toBe(v);
    });
  }

  it('a query changes no state (LAUNCH_MEASURE stays LUPDATE, SEND_START stays RUNNING)', () => {
    const l = lab();
    const a = l.guestIn('LUPDATE');
    const b = l.guestIn('RUNNING');
    l.cmd('LAUNCH_MEASURE', { handle: a.handle });
    l.cmd('SEND_START', { handle: b.handle });
    expect(l.psp.status().guests.map((g) => g.stateName)).toEqual(['LUPDATE', 'RUNNING']);
  });

  it('SEND_UPDATE_DATA with trans_len 0 is INVALID_LEN and reports no transport length (trans_len stays 0)', () => {
    const l = lab();
    const g = l.guestIn('SUPDATE');
    const r = l.cmd('SEND_UPDATE_DATA', { handle: g.handle, hdr_len: 52, guest_paddr: g.page, guest_len: 4096 });
    expect(statusName(r.status)).toBe('INVALID_LEN');
    expect([r.buf.u32(16), r.buf.u32(48)]).toEqual([52, 0]);
  });

  it('successful queries report the lengths they wrote', () => {
    const l = lab();
    expect(l.ok('PEK_CSR', { paddr: l.alloc(4096), len: 4096 }).buf.u32(8)).toBe(2084);
    expect(l.ok('GET_ID', { paddr: l.alloc(128), len: 128 }).buf.u32(8)).toBe(64);
    const g = l.guestIn('SUPDATE');
    const r = l.ok('SEND_UPDATE_DATA', {
      handle: g.handle,
      hdr_paddr: l.alloc(64),
      hdr_len: 64,
      guest_paddr: g.page,
      guest_len: 4096,
      trans_paddr: l.alloc(8192),
      trans_len: 8192,
    });
    expect([r.buf.u32(16), r.buf.u32(48)]).toEqual([52, 8192]);
  });

  const noWriteBack: [string, (l: PspLab) => { cmd: string; fields: Record<string, number | bigint> }, string][] = [
    ['LAUNCH_START with a session of 0 bytes', (l) => ({ cmd: 'LAUNCH_START', fields: { handle: 0, dh_cert_paddr: l.alloc(2084), dh_cert_len: 2084 } }), 'INVALID_LEN'],
    ['RECEIVE_START session_len 127', (l) => ({ cmd: 'RECEIVE_START', fields: { session_paddr: l.alloc(128), session_len: 127 } }), 'INVALID_LEN'],
    ['PEK_CERT_IMPORT lengths 0', () => ({ cmd: 'PEK_CERT_IMPORT', fields: {} }), 'INVALID_LEN'],
    ['LAUNCH_UPDATE_VMSA len 16', () => ({ cmd: 'LAUNCH_UPDATE_VMSA', fields: { len: 16 } }), 'INVALID_LEN'],
    ['LAUNCH_SECRET hdr_len 51', (l) => ({ cmd: 'LAUNCH_SECRET', fields: { handle: l.guestIn('LSECRET').handle, hdr_len: 51, guest_len: 16, trans_len: 16 } }), 'INVALID_LEN'],
    ['RECEIVE_UPDATE_DATA hdr_len 0', (l) => ({ cmd: 'RECEIVE_UPDATE_DATA', fields: { handle: l.guestIn('RUPDATE').handle, guest_len: 16, trans_len: 16 } }), 'INVALID_LEN'],
    ['SEND_START on a LUPDATE guest (not a length error)', (l) => ({ cmd: 'SEND_START', fields: { handle: l.guestIn('LUPDATE').handle, policy: 0xabcd, session_len: 128 } }), 'INVALID_GUEST_STATE'],
    ['LAUNCH_MEASURE in LSECRET (not a length error)', (l) => ({ cmd: 'LAUNCH_MEASURE', fields: { handle: l.guestIn('LSECRET').handle } }), 'INVALID_GUEST_STATE'],
  ];
  for (const [name, make, status] of noWriteBack) {
    it(`${name} → ${status}, buffer left as the host wrote it`, () => {
      const l = lab();
      const { cmd, fields } = make(l);
      const r = l.cmd(cmd, fields);
      expect(statusName(r.status)).toBe(status);
      // What is in host memory now is exactly what the host wrote.
      expect(r.buf.bytes).toEqual(fieldsBuffer(cmd, fields));
    });
  }
});

/** A command issued on a WORKING platform (one guest launched first). */
function working(l: PspLab, cmd: string, fields: Record<string, number | bigint>) {
  l.ok('LAUNCH_START');
  return { cmd, fields };
}

function fieldNamed(cmd: string, name: string): BufferField {
  return commandByName(cmd)!.fields.find((f) => f.name === name)!;
}

function fieldsBuffer(cmd: string, fields: Record<string, number | bigint>): Uint8Array {
  const spec = commandByName(cmd)!;
  const b = new CommandBuffer(spec.size);
  for (const [k, v] of Object.entries(fields)) b.set(fieldNamed(cmd, k), v);
  return b.bytes;
}
