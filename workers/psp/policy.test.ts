/**
 * Guest policy (reference §7) where and in the order the firmware enforces it: NOSEND,
 * NOKS, ES, DOMAIN, SEV, the API version and reserved bits, NODBG.
 */
import { describe, expect, it } from 'vitest';
import { generateOca, labAmdRoot, rogueAmdRoot, manufactureChip, signPekCsr, withSignedCek } from './certs/index.js';
import { SeededRng } from '../core/rng.js';
import { statusName } from './status.js';
import { PspLab } from './test-support/psp-lab.js';

const st = (s: number) => statusName(s);
const API = (major: number, minor: number) => ((minor << 24) | (major << 16)) >>> 0;

function ready(seed = 31): PspLab {
  const l = new PspLab({ seed });
  l.init();
  return l;
}

describe('LAUNCH_START / RECEIVE_START policy checks (§7, §9.3)', () => {
  it('with a session: POLICY_MAC first, then API version, then reserved bits', () => {
    const l = ready();
    const mac1 = l.ownerSession(1);
    expect(st(l.cmd('LAUNCH_START', l.startFields(1 | 0x40, mac1)).status)).toBe('BAD_MEASUREMENT');
    const rsvd = l.ownerSession(1 | 0x40);
    expect(st(l.cmd('LAUNCH_START', l.startFields(1 | 0x40, rsvd)).status)).toBe('POLICY_FAILURE');
    const newer = l.ownerSession(API(1, 56) | 0x40);
    expect(st(l.cmd('LAUNCH_START', l.startFields(API(1, 56) | 0x40, newer)).status)).toBe('POLICY_FAILURE');
    const exact = l.ownerSession(API(1, 55));
    expect(st(l.cmd('LAUNCH_START', l.startFields(API(1, 55), exact)).status)).toBe('SUCCESS');
    const major2 = l.ownerSession(API(2, 0));
    expect(st(l.cmd('LAUNCH_START', l.startFields(API(2, 0), major2)).status)).toBe('POLICY_FAILURE');
  });

  it('without a guest owner the FW checks neither API version nor reserved bits', () => {
    const l = ready();
    expect(st(l.cmd('LAUNCH_START', { policy: API(9, 9) | 0xffc0 }).status)).toBe('SUCCESS');
  });

  it('RECEIVE_START checks the same and ignores NOSEND/DOMAIN/SEV', () => {
    const l = ready();
    const p = 0x8 | 0x10 | 0x20;
    const s = l.ownerSession(p);
    expect(st(l.cmd('RECEIVE_START', l.startFields(p, s, 'pdh_cert')).status)).toBe('SUCCESS');
    const r = l.ownerSession(0x40);
    expect(st(l.cmd('RECEIVE_START', l.startFields(0x40, r, 'pdh_cert')).status)).toBe('POLICY_FAILURE');
    expect(st(l.cmd('RECEIVE_START', l.startFields(0x41, r, 'pdh_cert')).status)).toBe('BAD_MEASUREMENT');
  });

  it('ES needs a platform INIT with ES (UNSUPPORTED), checked after key sharing and the slot', () => {
    const l = ready();
    expect(st(l.cmd('LAUNCH_START', { policy: 4 }).status)).toBe('UNSUPPORTED');
    expect(st(l.cmd('LAUNCH_START', { handle: 55, policy: 4 }).status)).toBe('INVALID_GUEST');
    const es = new PspLab({ seed: 2 });
    es.init(0);
    es.ok('SHUTDOWN');
    es.ok('INIT', { flags: 1, tmr_paddr: 0x4000_0000 + (48 << 20), tmr_len: 1 << 20 });
    expect(st(es.cmd('LAUNCH_START', { policy: 4 }).status)).toBe('SUCCESS');
  });

  it('1024 guest slots: the next LAUNCH_START is RESOURCE_LIMIT; a freed slot is reused lowest first', () => {
    const l = ready();
    for (let i = 1; i <= 1024; i++) expect(l.ok('LAUNCH_START').buf.u32(0)).toBe(i);
    expect(st(l.cmd('LAUNCH_START').status)).toBe('RESOURCE_LIMIT');
    expect(l.ok('PLATFORM_STATUS').buf.u32(8)).toBe(1024);
    l.ok('DECOMMISSION', { handle: 17 });
    expect(l.ok('LAUNCH_START').buf.u32(0)).toBe(17);
    expect(st(l.cmd('GUEST_STATUS', { handle: 1025 }).status)).toBe('SUCCESS');
    expect(st(l.cmd('ACTIVATE', { handle: 1025, asid: 1 }).status)).toBe('INVALID_GUEST');
  });

  it('NOKS and key sharing: same policy and no NOKS, else POLICY_FAILURE; a shared key decrypts the other guest', () => {
    const l = ready();
    const noks = l.guestIn('RUNNING', { policy: 2 });
    expect(st(l.cmd('LAUNCH_START', { handle: noks.handle, policy: 2 }).status)).toBe('POLICY_FAILURE');
    const a = l.guestIn('RUNNING', { policy: 0, data: new Uint8Array(4096).fill(0x42) });
    expect(st(l.cmd('LAUNCH_START', { handle: a.handle, policy: 1 }).status)).toBe('POLICY_FAILURE');
    const b = l.ok('LAUNCH_START', { handle: a.handle, policy: 0 }).buf.u32(0);
    expect(l.psp.guestView(b)!.read(a.page, 16)).toEqual(new Uint8Array(16).fill(0x42));
    const c = l.ok('LAUNCH_START', { policy: 0 }).buf.u32(0);
    expect(l.psp.guestView(c)!.read(a.page, 16)).not.toEqual(new Uint8Array(16).fill(0x42));
  });
});

describe('SEND_START policy checks (§7)', () => {
  it('NOSEND → POLICY_FAILURE after the session_len and state checks; the guest stays RUNNING', () => {
    const l = ready();
    const launching = l.guestIn('LUPDATE', { policy: 8 });
    expect(st(l.cmd('SEND_START', { handle: launching.handle, session_len: 128 }).status)).toBe('INVALID_GUEST_STATE');
    const g = l.guestIn('RUNNING', { policy: 8 });
    expect(st(l.cmd('SEND_START', { handle: g.handle }).status)).toBe('INVALID_LEN');
    const fields = { handle: g.handle, pdh_cert_paddr: l.put(l.pdhCert()), pdh_cert_len: 2084, session_paddr: l.alloc(128), session_len: 128 };
    expect(st(l.cmd('SEND_START', fields).status)).toBe('POLICY_FAILURE');
    expect(l.psp.status().guests.find((x) => x.handle === g.handle)!.stateName).toBe('RUNNING');
  });

  it('no SEV/DOMAIN bit: any body-valid PDH is accepted, even one the host made (§14.1)', () => {
    const l = ready();
    const g = l.guestIn('RUNNING');
    const hostMade = l.ownerSession(0).dhCert; // a PDH-shaped cert whose private key the host knows
    const r = l.cmd('SEND_START', { handle: g.handle, pdh_cert_paddr: l.put(hostMade), pdh_cert_len: 2084, session_paddr: l.alloc(128), session_len: 128 });
    expect(st(r.status)).toBe('SUCCESS');
    const junk = l.cmd('SEND_START', { handle: l.guestIn('RUNNING').handle, pdh_cert_paddr: l.put(new Uint8Array(2084)), pdh_cert_len: 2084, session_paddr: l.alloc(128), session_len: 128 });
    expect(st(junk.status)).toBe('INVALID_CERTIFICATE');
  });

  it('DOMAIN: the target must share our OCA (POLICY_FAILURE otherwise)', () => {
    const owner = generateOca(SeededRng.fromSeed('owner'), { apiMajor: 1, apiMinor: 55 });
    const adopt = (l: PspLab): void => {
      const csr = l.alloc(2084);
      l.ok('PEK_CSR', { paddr: csr, len: 2084 });
      const signed = signPekCsr(l.read(csr, 2084), owner);
      if (!signed.ok) throw new Error(signed.reason);
      l.ok('PEK_CERT_IMPORT', { pek_paddr: l.put(signed.pekCert), pek_len: 2084, oca_paddr: l.put(owner.cert), oca_len: 2084 });
      expect(st(l.cmd('PEK_CERT_IMPORT', { pek_paddr: l.put(signed.pekCert), pek_len: 2084, oca_paddr: l.put(owner.cert), oca_len: 2084 }).status)).toBe('ALREADY_OWNED');
      expect(l.ok('PLATFORM_STATUS').buf.u8(3)).toBe(1);
    };
    const src = ready(1);
    const dst = ready(2);
    const stranger = ready(3);
    adopt(src);
    adopt(dst);
    const g = src.guestIn('RUNNING', { policy: 0x10 });
    const send = (to: PspLab, handle: number) =>
      st(src.cmd('SEND_START', { handle, pdh_cert_paddr: src.put(to.pdhCert()), pdh_cert_len: 2084, plat_certs_paddr: src.put(to.chain()), plat_certs_len: 6252, session_paddr: src.alloc(128), session_len: 128 }).status);
    expect(send(stranger, g.handle)).toBe('POLICY_FAILURE');
    expect(send(dst, g.handle)).toBe('SUCCESS');
    const h = src.guestIn('RUNNING', { policy: 0x10 });
    expect(st(src.cmd('SEND_START', { handle: h.handle, pdh_cert_paddr: src.put(dst.pdhCert()), pdh_cert_len: 2084, session_paddr: src.alloc(128), session_len: 128 }).status)).toBe('INVALID_LEN');
  });

  it('SEV: ARK → ASK → CEK → PEK → PDH must verify, then the target API must meet the policy', () => {
    const src = ready(1);
    const dst = ready(2);
    const root = labAmdRoot();
    const signed = withSignedCek(root, dst.chipId(), dst.chain());
    if (!signed.ok) throw new Error(signed.reason);
    const send = (policy: number, plat: Uint8Array, amd: Uint8Array, pdh = dst.pdhCert()) => {
      const g = src.guestIn('RUNNING', { policy });
      return st(src.cmd('SEND_START', {
        handle: g.handle,
        pdh_cert_paddr: src.put(pdh),
        pdh_cert_len: 2084,
        plat_certs_paddr: src.put(plat),
        plat_certs_len: plat.length,
        amd_certs_paddr: src.put(amd),
        amd_certs_len: amd.length,
        session_paddr: src.alloc(128),
        session_len: 128,
      }).status);
    };
    expect(send(0x20, signed.platCerts, new Uint8Array(100))).toBe('INVALID_LEN');
    expect(send(0x20, dst.chain(), root.amdChain)).toBe('INVALID_CERTIFICATE');
    expect(send(0x20, signed.platCerts, root.amdChain)).toBe('SUCCESS');
    expect(send(0x20 | API(1, 56), signed.platCerts, root.amdChain)).toBe('POLICY_FAILURE');
    expect(send(0x20, signed.platCerts, root.amdChain, src.pdhCert())).toBe('BAD_SIGNATURE');
    const rogue = rogueAmdRoot();
    const fake = new PspLab({ seed: 8, amdRoot: rogue, chip: manufactureChip(rogue, SeededRng.fromSeed('rogue-chip')) });
    fake.init();
    const fakeSigned = withSignedCek(rogue, fake.chipId(), fake.chain());
    if (!fakeSigned.ok) throw new Error(fakeSigned.reason);
    expect(send(0x20, fakeSigned.platCerts, rogue.amdChain, fake.pdhCert())).toBe('INVALID_CERTIFICATE');
  });
});

describe('DBG_DECRYPT / DBG_ENCRYPT (§7, §13)', () => {
  it('order: alignment, length, handle, NODBG, active ASID', () => {
    const l = ready();
    const nodbg = l.guestIn('RUNNING', { policy: 1 });
    const inactive = l.guestIn('RUNNING', { policy: 0, activate: false });
    const dbg = (fields: Record<string, number | bigint>) => st(l.cmd('DBG_DECRYPT', fields).status);
    expect(dbg({ handle: 999, src_paddr: 8, len: 16 })).toBe('INVALID_ADDRESS');
    expect(dbg({ handle: 999, len: 15 })).toBe('INVALID_LEN');
    expect(dbg({ handle: 999, len: 16 })).toBe('INVALID_GUEST');
    expect(dbg({ handle: nodbg.handle, src_paddr: nodbg.page, dst_paddr: l.alloc(16), len: 16 })).toBe('POLICY_FAILURE');
    expect(dbg({ handle: inactive.handle, src_paddr: inactive.page, dst_paddr: l.alloc(16), len: 16 })).toBe('INACTIVE');
    const open = l.guestIn('SENT', { policy: 0 });
    expect(dbg({ handle: open.handle, src_paddr: open.page, dst_paddr: l.alloc(0), len: 0 })).toBe('SUCCESS');
  });

  it('a debuggable guest can be read and written by the host (§14.10)', () => {
    const l = ready();
    const data = new Uint8Array(4096).map((_, i) => i * 7);
    const g = l.guestIn('RUNNING', { policy: 0, data });
    const dst = l.alloc(64);
    l.ok('DBG_DECRYPT', { handle: g.handle, src_paddr: g.page + 32, dst_paddr: dst, len: 64 });
    expect(l.read(dst, 64)).toEqual(data.slice(32, 96));
    l.ok('DBG_ENCRYPT', { handle: g.handle, src_paddr: l.put(new Uint8Array(16).fill(1)), dst_paddr: g.page, len: 16 });
    expect(l.psp.guestView(g.handle)!.read(g.page, 16)).toEqual(new Uint8Array(16).fill(1));
    expect(l.read(g.page, 16)).not.toEqual(new Uint8Array(16).fill(1));
  });
});
