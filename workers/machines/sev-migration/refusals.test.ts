/**
 * Migrations refused before any private page leaves (reference §1.8, §4.8; psp-sev-api.md
 * §7, §8.3, §14.1, §14.8): the policy's NOSEND, SEV and DOMAIN bits at SEND_START, and the
 * blocker of a guest that never enabled migration. In each, the source guest stays
 * RUNNING and keeps running; the target's load fails on the reset connection.
 */
import { describe, expect, it } from 'vitest';
import type { Json } from '../../core/events.js';
import { makeLab, runUntil } from './test-support/lab.js';

function refused(over: Parameters<typeof makeLab>[0]) {
  const t = makeLab(over);
  runUntil(t.lab);
  const src = t.lab.host('src')!;
  const dst = t.lab.host('dst')!;
  return { ...t, src, dst };
}

function expectSourceRunsOn(r: ReturnType<typeof refused>): void {
  const { src, lab } = r;
  expect(src.rt.host.vmm.runstate).toBe('running');
  expect(src.rt.host.psp.status().guests.map((g) => g.stateName)).toEqual(['RUNNING']);
  expect(src.source.sev?.sending ?? false).toBe(false);
  const ticks = src.rt.guest.ticks;
  for (let i = 0; i < 10; i++) lab.step();
  expect(src.rt.guest.ticks).toBeGreaterThan(ticks);
}

describe('SEND_START refuses, the source keeps running', () => {
  it('policy NOSEND (0x9): POLICY_FAILURE at the first private page', { timeout: 120_000 }, () => {
    const r = refused({ guest: { policy: 9 } });
    expect(r.src.source.status).toBe('failed');
    expect(r.src.source.error).toBe("sev_send_start: SEND_START ret=-5 fw_error=7 'Policy is not allowed'");
    expect(r.of('migration.sev', 'src').map((e) => [e.payload.op, e.payload.ok])).toEqual([
      ['SEND_START (length query)', true],
      ['SEND_START', false],
    ]);
    // QEMU 6.x shows a failed migration's status and error only.
    expect(r.src.hmp.execute('info migrate').slice(7)).toEqual(["Migration status: failed (sev_send_start: SEND_START ret=-5 fw_error=7 'Policy is not allowed')", 'total time: 0 milliseconds']);
    // The stream stopped after the setup and the first SECTION_PART header: 125 bytes.
    expect(r.dst.target.status).toBe('failed');
    expect(r.dst.target.error).toBe('Connection reset by peer: the stream ended at offset 125 inside the RAM record header that starts at offset 125');
    expect(r.dst.rt.host.vmm.runstate).toBe('shutdown');
    expectSourceRunsOn(r);
  });

  it('policy SEV (0x21) with a target chip of a look-alike root: INVALID_CERTIFICATE', { timeout: 120_000 }, () => {
    const r = refused({ guest: { policy: 0x21 }, target: { platform: 'rogue' } });
    expect(r.src.source.error).toMatch(/SEND_START ret=-5 fw_error=6 'Certificate is invalid'$/);
    expect(r.last('lab.operator', 'dst')?.detail).toMatch(/key server.*ASK\+ARK of rogue-amd/);
    expectSourceRunsOn(r);
  });

  it('policy SEV with the chain as PDH_CERT_EXPORT gives it (unsigned CEK): INVALID_CERTIFICATE (§14.8)', { timeout: 120_000 }, () => {
    const r = refused({ guest: { policy: 0x21 }, migrate: { certs: 'as-exported' } });
    expect(r.src.source.error).toMatch(/fw_error=6 'Certificate is invalid'/);
    expectSourceRunsOn(r);
  });

  it('policy SEV with the genuine chain from the key server: SEND_START succeeds', { timeout: 120_000 }, () => {
    const t = makeLab({ guest: { policy: 0x21 }, migrate: { onFailure: 'cancel' }, faults: { cancelAfterMs: 100 } });
    runUntil(t.lab);
    expect(t.of('migration.sev', 'src').map((e) => [e.payload.op, e.payload.ok])).toEqual([
      ['SEND_START (length query)', true],
      ['SEND_START', true],
      ['SEND_CANCEL', true],
    ]);
    expect(t.lab.host('src')!.source.status).toBe('cancelled');
  });

  it('policy DOMAIN (0x11): two self-owned platforms have different OCAs, SEND_START refuses', { timeout: 120_000 }, () => {
    const r = refused({ guest: { policy: 0x11 } });
    expect(r.src.source.error).toMatch(/^sev_send_start: SEND_START ret=-5 fw_error=\d+ '/);
    expect(r.src.source.error).not.toMatch(/fw_error=0 /);
    expectSourceRunsOn(r);
  });
});

describe('a guest that never enabled migration', () => {
  it('keeps the blocker: migrate answers the blocker text, nothing is sent, nothing changes', { timeout: 120_000 }, () => {
    const r = refused({ guest: { guestWritesMsr: false } });
    const echo = r.of('console.line', 'src').map((e) => e.payload.text);
    const i = echo.indexOf('(qemu) migrate -d tcp:dst:4444');
    expect(echo[i + 1]).toBe('Error: SEV: Migration is not implemented');
    expect(r.src.source.status).toBe('none');
    expect(r.of('wire.send')).toHaveLength(0);
    expect(r.of('migration.status')).toHaveLength(0);
    expect(r.src.hmp.execute('info migrate').filter((l) => l.startsWith('Migration status'))).toEqual([]);
    expect(r.dst.target.status).toBe('none');
    expect(r.dst.rt.host.vmm.runstate).toBe('inmigrate');
    expectSourceRunsOn(r);
  });
});

describe('the other ABIs start migrating the same way', () => {
  const variants: Record<string, Json>[] = [{ guest: { abi: 'v11' } }, { guest: { efi: false } }];
  for (const over of variants) {
    it(`${JSON.stringify(over)}: the guest enables migration, SEND_START and RECEIVE_START succeed, pages flow`, { timeout: 120_000 }, () => {
      const t = makeLab(over);
      const src = t.lab.host('src')!;
      runUntil(t.lab, () => t.of('migration.load', 'dst').length > 5);
      expect(src.rt.host.vmm.blockers.allowed).toBe(true);
      expect(t.of('migration.sev').map((e) => [e.host, e.payload.op, e.payload.ok])).toEqual([
        ['src', 'SEND_START (length query)', true],
        ['src', 'SEND_START', true],
        ['dst', 'RECEIVE_START', true],
      ]);
      expect(t.of('migration.error')).toHaveLength(0);
    });
  }
});
