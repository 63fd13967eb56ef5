/**
 * A failed incoming migration tears the target's half-received SEV context down, as the
 * kernel does when the target QEMU exits (psp-sev-api.md §12 "Teardown is DEACTIVATE then
 * DECOMMISSION", §3, §13; Linux `sev_vm_destroy`): after a tampered packet, a cut link or
 * migrate_cancel the target PSP holds no guest, the old handle is gone, the ASID comes
 * back from the firmware clean (its ACTIVATE was still pending in RUPDATE, §13) but KVM
 * keeps it in its reclaim bitmap until its next WBINVD + DF_FLUSH. The source's fate is
 * the one failures.test.ts checks.
 */
import { describe, expect, it } from 'vitest';
import type { Json } from '../../core/events.js';
import type { LabHost } from '../../migration/lab-host.js';
import { makeLab, runUntil } from './test-support/lab.js';

type Lab = ReturnType<typeof makeLab>;

/** Runs the scenario with `over` to its end; the target's teardown facts. */
function failedTarget(over: Record<string, Json>): { t: Lab; src: LabHost; dst: LabHost; handle: number; asid: number } {
  const t = makeLab(over);
  runUntil(t.lab);
  const src = t.lab.host('src')!;
  const dst = t.lab.host('dst')!;
  expect(dst.target.status).toBe('failed');
  const start = t.of('psp.command', 'dst').find((e) => e.payload.cmd === 'RECEIVE_START' && e.payload.status === 'SUCCESS')!;
  const handle = start.payload.handle!;
  const activate = t.of('psp.command', 'dst').find((e) => e.payload.cmd === 'ACTIVATE')!;
  expect(activate.payload).toMatchObject({ handle, status: 'SUCCESS' });
  const asid = Number(/ASID (\d+)/.exec(activate.payload.summary)![1]);
  return { t, src, dst, handle, asid };
}

/** What every failed target must show once its QEMU has exited. */
function expectTornDown({ t, dst, handle, asid }: ReturnType<typeof failedTarget>): void {
  const err = t.of('migration.error', 'dst')[0];
  // DEACTIVATE then DECOMMISSION of the receiving handle, both SUCCESS, after the failure.
  const after = t.of('psp.command', 'dst').filter((e) => e.seq > err.seq);
  expect(after.map((e) => [e.payload.cmd, e.payload.handle, e.payload.status])).toEqual([
    ['DEACTIVATE', handle, 'SUCCESS'],
    ['DECOMMISSION', handle, 'SUCCESS'],
  ]);
  const destroy = t.of('kvm.vm-destroy', 'dst');
  expect(destroy).toHaveLength(1);
  expect(destroy[0].seq).toBeGreaterThan(after[1].seq);
  expect(destroy[0].payload).toMatchObject({ sev: true, handle, asid, psp: ['DEACTIVATE→SUCCESS', 'DECOMMISSION→SUCCESS'], asidState: 'reclaim' });
  expect(t.of('vmm.runstate', 'dst').at(-1)!.payload).toEqual({ from: 'inmigrate', to: 'shutdown' });

  // The PSP has no guest left (platform back to INIT: it was the only one).
  const host = dst.rt.host;
  expect(host.psp.status().guests).toEqual([]);
  expect(host.psp.status().state).toBe('INIT');
  // The old handle: GUEST_STATUS answers SUCCESS with state 0 = free slot (the Genoa quirk of
  // §3, not INVALID_GUEST); any other guest command is refused by the INIT platform first (§2).
  const gs = host.kvm.dev.call('GUEST_STATUS', { handle });
  expect([gs.status, gs.field('state')]).toEqual([0x00, 0n]);
  expect(host.kvm.dev.call('DEACTIVATE', { handle }).status).toBe(0x01);

  // §13: DEACTIVATE of a guest whose ACTIVATE was pending (RUPDATE) hands the ASID back clean.
  expect(host.psp.status().asids[asid - 1]).toBe('clean');
  // KVM does not know that: the ASID waits in the reclaim bitmap for WBINVD + DF_FLUSH.
  const kvm = host.kvm;
  expect(kvm.asids.state(asid)).toBe('reclaim');
  const flushes = (): number => t.of('psp.command', 'dst').filter((e) => e.payload.cmd === 'DF_FLUSH').length;
  const before = flushes();
  const flush = (): boolean => kvm.dev.flushAsids() === 0;
  const got: number[] = [];
  for (let a = kvm.asids.alloc(flush); a !== 0 && a !== asid; a = kvm.asids.alloc(flush)) {
    got.push(a);
    expect(flushes()).toBe(before);
  }
  expect(got).not.toContain(asid);
  expect(got.length).toBe(kvm.asids.max - kvm.asids.min);
  expect(flushes()).toBe(before + 1);
  expect(kvm.asids.state(asid)).toBe('in-use');

  // The process is gone: the monitor is closed.
  expect(dst.monitor('info status')).toEqual({ ok: false, text: 'Error: qemu-system-x86_64 on dst has exited; the monitor connection is closed' });
}

describe('the target tears its SEV context down when the incoming migration fails', () => {
  it('a tampered packet (RECEIVE_UPDATE_DATA → BAD_MEASUREMENT); the source still follows x-sev-on-failure', { timeout: 120_000 }, () => {
    const r = failedTarget({ faults: { tamper: { mode: 'flip-bit', packet: 200 } } });
    expect(r.t.of('psp.command', 'dst').filter((e) => e.payload.status === 'BAD_MEASUREMENT').map((e) => e.payload.cmd)).toEqual(['RECEIVE_UPDATE_DATA']);
    expectTornDown(r);
    expect(r.src.rt.host.psp.status().guests.map((g) => g.stateName)).toEqual(['SENT']);
  });

  it('a cut link', { timeout: 120_000 }, () => {
    const r = failedTarget({ faults: { cutLinkAfterMs: 3000 } });
    expect(r.t.of('migration.error', 'dst')[0].payload.message).toMatch(/^Connection timed out: /);
    expectTornDown(r);
  });

  it('migrate_cancel mid-iteration, with x-sev-on-failure cancel: the source guest runs on', { timeout: 120_000 }, () => {
    const r = failedTarget({ migrate: { onFailure: 'cancel' }, faults: { cancelAfterMs: 3000 } });
    expect(r.src.source.status).toBe('cancelled');
    expectTornDown(r);
    expect(r.src.rt.host.psp.status().guests.map((g) => g.stateName)).toEqual(['RUNNING']);
    expect(r.src.rt.host.vmm.runstate).toBe('running');
  });

  it('is deterministic: the same seed gives the same target log', { timeout: 120_000 }, () => {
    const dstLog = (): string => {
      const t = makeLab({ faults: { tamper: { mode: 'flip-bit', packet: 200 } } }, 7);
      runUntil(t.lab);
      return JSON.stringify(t.log.slice().filter((e) => e.host === 'dst'));
    };
    const a = dstLog();
    expect(a).toContain('"kind":"kvm.vm-destroy"');
    expect(dstLog()).toBe(a);
  });
});
