/**
 * Launch with a guest owner (reference §9.3, §11), LAUNCH_SECRET tampering and order,
 * session-blob tampering, LAUNCH_UPDATE checks, SEV-ES VMSA commands, and the platform
 * identity's lifetime (§2, §8.1, §14.7).
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { buildOwnerSession, sha256, verifyLaunchMeasureBlob } from './crypto/index.js';
import { statusName } from './status.js';
import { PspLab } from './test-support/psp-lab.js';

const st = (s: number) => statusName(s);

function ready(seed = 61): PspLab {
  const l = new PspLab({ seed });
  l.init();
  return l;
}

/** A guest launched with an owner session, one page measured, now in LSECRET. */
function ownedLsecret(l: PspLab, policy = 1) {
  const owner = l.ownerSession(policy);
  const handle = l.ok('LAUNCH_START', l.startFields(policy, owner)).buf.u32(0);
  l.ok('ACTIVATE', { handle, asid: l.freshAsid() });
  const page = l.newPage();
  const image = new Uint8Array(4096).map((_, i) => i ^ 0x5a);
  l.hw.memory.write(page, image);
  l.ok('LAUNCH_UPDATE_DATA', { handle, paddr: page, len: 4096 });
  const m = l.alloc(48);
  l.ok('LAUNCH_MEASURE', { handle, paddr: m, len: 48 });
  return { handle, page, image, owner, measure: l.read(m, 48) };
}

describe('launch with a guest owner (§9.3, §11)', () => {
  it('MEASUREMENT = HMAC(TIK, 0x04 ‖ 1 ‖ 55 ‖ 25 ‖ policy ‖ SHA-256(image) ‖ MNONCE)', () => {
    const l = ready(62);
    const tek = l.rng.bytes(16);
    const tik = l.rng.bytes(16);
    const s = buildOwnerSession({ pdhCert: l.pdhCert(), policy: 1, tek, tik, rng: l.rng });
    if (!s.ok) throw new Error(s.reason);
    const handle = l.ok('LAUNCH_START', l.startFields(1, s)).buf.u32(0);
    l.ok('ACTIVATE', { handle, asid: 2 });
    const page = l.newPage();
    const image = new Uint8Array(8192).map((_, i) => i * 3);
    l.hw.memory.write(page, image);
    l.ok('LAUNCH_UPDATE_DATA', { handle, paddr: page, len: 4096 });
    l.ok('LAUNCH_UPDATE_DATA', { handle, paddr: page + 4096, len: 4096 });
    const m = l.alloc(48);
    l.ok('LAUNCH_MEASURE', { handle, paddr: m, len: 48 });
    const expected = { apiMajor: 1, apiMinor: 55, build: 25, policy: 1, digest: sha256(image) };
    expect(verifyLaunchMeasureBlob(tik, l.read(m, 48), expected)).toBe(true);
    expect(verifyLaunchMeasureBlob(tik, l.read(m, 48), { ...expected, policy: 0 })).toBe(false);
  });

  it('LAUNCH_SECRET: the secret lands in guest memory; any flipped bit → BAD_MEASUREMENT, memory unchanged', () => {
    const l = ready();
    const g = ownedLsecret(l);
    const secret = new Uint8Array(32).fill(0x77);
    const sealed = g.owner.keys.sealSecret(secret, new Uint8Array(16).fill(3), g.measure);
    const target = g.page + 256;
    const fields = (hdr: Uint8Array, trans: Uint8Array) => ({
      handle: g.handle,
      hdr_paddr: l.put(hdr),
      hdr_len: 52,
      guest_paddr: target,
      guest_len: 32,
      trans_paddr: l.put(trans),
      trans_len: 32,
    });
    const before = l.read(target, 32);
    fc.assert(
      fc.property(fc.integer({ min: 0, max: (52 + 32) * 8 - 1 }), (bit) => {
        const hdr = sealed.hdr.slice();
        const trans = sealed.trans.slice();
        const [buf, k] = bit < 52 * 8 ? [hdr, bit] : [trans, bit - 52 * 8];
        buf[k >> 3] ^= 1 << (k & 7);
        expect(st(l.cmd('LAUNCH_SECRET', fields(hdr, trans)).status)).toBe('BAD_MEASUREMENT');
        expect(l.read(target, 32)).toEqual(before);
      }),
      { numRuns: 60, seed: 3 },
    );
    expect(st(l.cmd('LAUNCH_SECRET', fields(sealed.hdr, sealed.trans)).status)).toBe('SUCCESS');
    expect(l.psp.guestView(g.handle)!.read(target, 32)).toEqual(secret);
    const compressed = g.owner.keys.sealSecret(secret, new Uint8Array(16), g.measure, 1);
    expect(st(l.cmd('LAUNCH_SECRET', fields(compressed.hdr, compressed.trans)).status)).toBe('UNSUPPORTED');
  });

  it('LAUNCH_SECRET order: handle, guest_paddr alignment, lengths, state, active', () => {
    const l = ready();
    const g = ownedLsecret(l);
    const lup = l.guestIn('LUPDATE');
    const inactive = l.guestIn('LSECRET', { activate: false });
    const ok = { hdr_len: 52, guest_len: 16, trans_len: 16 };
    expect(st(l.cmd('LAUNCH_SECRET', { handle: 999, guest_paddr: 8 }).status)).toBe('INVALID_GUEST');
    expect(st(l.cmd('LAUNCH_SECRET', { handle: lup.handle, guest_paddr: 8, ...ok }).status)).toBe('INVALID_ADDRESS');
    expect(st(l.cmd('LAUNCH_SECRET', { handle: lup.handle, ...ok, trans_len: 32 }).status)).toBe('INVALID_LEN');
    expect(st(l.cmd('LAUNCH_SECRET', { handle: lup.handle, ...ok, guest_len: 0x5010, trans_len: 0x5010 }).status)).toBe('INVALID_LEN');
    expect(st(l.cmd('LAUNCH_SECRET', { handle: lup.handle, ...ok }).status)).toBe('INVALID_GUEST_STATE');
    expect(st(l.cmd('LAUNCH_SECRET', { handle: inactive.handle, ...ok }).status)).toBe('INACTIVE');
    expect(st(l.cmd('LAUNCH_SECRET', { handle: g.handle, ...ok }).status)).toBe('INVALID_ADDRESS');
  });

  it('any flipped bit of the session blob → BAD_MEASUREMENT at LAUNCH_START; nothing is created', () => {
    const l = ready();
    const owner = l.ownerSession(1);
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 128 * 8 - 1 }), (bit) => {
        const session = owner.session.slice();
        session[bit >> 3] ^= 1 << (bit & 7);
        expect(st(l.cmd('LAUNCH_START', l.startFields(1, { dhCert: owner.dhCert, session })).status)).toBe('BAD_MEASUREMENT');
      }),
      { numRuns: 40, seed: 11 },
    );
    expect(l.psp.status().guests).toEqual([]);
    expect(l.psp.status().state).toBe('INIT');
  });
});

describe('LAUNCH_UPDATE_DATA / VMSA (§11, §13)', () => {
  it('checks: alignment → length → RAM; VMSA length first of all; the image is measured then encrypted in place', () => {
    const l = ready();
    const g = l.guestIn('LUPDATE');
    expect(st(l.cmd('LAUNCH_UPDATE_DATA', { handle: g.handle, paddr: g.page + 8, len: 16 }).status)).toBe('INVALID_ADDRESS');
    expect(st(l.cmd('LAUNCH_UPDATE_DATA', { handle: g.handle, paddr: g.page, len: 0 }).status)).toBe('INVALID_LEN');
    expect(st(l.cmd('LAUNCH_UPDATE_DATA', { handle: g.handle, paddr: g.page, len: 24 }).status)).toBe('INVALID_LEN');
    expect(st(l.cmd('LAUNCH_UPDATE_DATA', { handle: g.handle, paddr: 0x7000_0000, len: 16 }).status)).toBe('INVALID_ADDRESS');
    expect(st(l.cmd('LAUNCH_UPDATE_VMSA', { handle: 999, len: 4095 }).status)).toBe('INVALID_LEN');
    const p = l.newPage();
    l.hw.memory.write(p, new Uint8Array(64).fill(0x33));
    l.ok('LAUNCH_UPDATE_DATA', { handle: g.handle, paddr: p, len: 64 });
    expect(l.read(p, 64)).not.toEqual(new Uint8Array(64).fill(0x33));
    expect(l.psp.guestView(g.handle)!.read(p, 64)).toEqual(new Uint8Array(64).fill(0x33));
  });

  it('SEV-ES guests: LAUNCH_UPDATE_VMSA, SEND_UPDATE_VMSA and RECEIVE_UPDATE_VMSA work', () => {
    const es = (seed: number) => {
      const l = new PspLab({ seed });
      l.ok('INIT', { flags: 1, tmr_paddr: 0x4000_0000 + (60 << 20), tmr_len: 1 << 20 });
      l.hw.wbinvd();
      l.ok('DF_FLUSH');
      return l;
    };
    const src = es(1);
    const dst = es(2);
    const g = src.guestIn('LUPDATE', { policy: 4 });
    src.ok('LAUNCH_UPDATE_VMSA', { handle: g.handle, paddr: g.page, len: 4096 });
    src.ok('LAUNCH_MEASURE', { handle: g.handle, paddr: src.alloc(48), len: 48 });
    src.ok('LAUNCH_FINISH', { handle: g.handle });
    const session = src.alloc(128);
    src.ok('SEND_START', { handle: g.handle, pdh_cert_paddr: src.put(dst.pdhCert()), pdh_cert_len: 2084, session_paddr: session, session_len: 128 });
    const hdr = src.alloc(52);
    const trans = src.alloc(4096);
    src.ok('SEND_UPDATE_VMSA', { handle: g.handle, hdr_paddr: hdr, hdr_len: 52, guest_paddr: g.page, guest_len: 4096, trans_paddr: trans, trans_len: 4096 });
    const t = dst.ok('RECEIVE_START', { policy: 4, pdh_cert_paddr: dst.put(src.pdhCert()), pdh_cert_len: 2084, session_paddr: dst.put(src.read(session, 128)), session_len: 128 }).buf.u32(0);
    dst.ok('ACTIVATE', { handle: t, asid: 1 });
    const page = dst.newPage();
    dst.ok('RECEIVE_UPDATE_VMSA', { handle: t, hdr_paddr: dst.put(src.read(hdr, 52)), hdr_len: 52, guest_paddr: page, guest_len: 4096, trans_paddr: dst.put(src.read(trans, 4096)), trans_len: 4096 });
    expect(dst.psp.guestView(t)!.read(page, 4096)).toEqual(src.psp.guestView(g.handle)!.read(g.page, 4096));
  });
});

describe('platform identity (§2, §8.1, §14.7)', () => {
  it('SHUTDOWN + INIT keeps the PDH; PDH_GEN, PEK_GEN and PLATFORM_RESET + INIT replace it', () => {
    const l = ready();
    const pdh0 = l.pdhCert();
    l.ok('SHUTDOWN');
    l.ok('INIT');
    expect(l.pdhCert()).toEqual(pdh0);
    l.ok('PDH_GEN');
    const pdh1 = l.pdhCert();
    expect(pdh1).not.toEqual(pdh0);
    const chain1 = l.chain();
    l.ok('PEK_GEN');
    expect(l.pdhCert()).not.toEqual(pdh1);
    expect(l.chain().subarray(0, 4168)).not.toEqual(chain1.subarray(0, 4168));
    const pdh2 = l.pdhCert();
    l.ok('SHUTDOWN');
    l.ok('PLATFORM_RESET');
    l.ok('INIT');
    expect(l.pdhCert()).not.toEqual(pdh2);
  });

  it('PEK_GEN only in INIT; PEK_CSR also in WORKING; GET_ID in any state, the same 64 bytes', () => {
    const l = new PspLab({ seed: 63 });
    const id = l.alloc(64);
    l.ok('GET_ID', { paddr: id, len: 64 });
    const id0 = l.read(id, 64);
    l.init();
    l.ok('LAUNCH_START');
    expect(st(l.cmd('PEK_GEN').status)).toBe('INVALID_PLATFORM_STATE');
    expect(st(l.cmd('PEK_CSR', { paddr: l.alloc(2084), len: 2084 }).status)).toBe('SUCCESS');
    expect(l.chipId()).toEqual(id0);
  });
});
