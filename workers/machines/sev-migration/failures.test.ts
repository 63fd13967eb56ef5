/**
 * Failures after SEND_START (reference §4.7 source 4, §6.3 "Failure"; psp-sev-api.md §10,
 * §14.3): a tampered packet, migrate_cancel at several points, a cut link. The target
 * fails with the offset and record; the source's fate follows x-sev-on-failure: `finish`
 * (the v4 series: SEND_FINISH, the guest is SENT and cannot run again) or `cancel`
 * (SEND_CANCEL: RUNNING, the guest runs on). Nothing is half-applied.
 */
import { describe, expect, it } from 'vitest';
import { PageState } from '../../host/page-states.js';
import { makeLab, runUntil } from './test-support/lab.js';

const states = (h: { rt: { host: { psp: { status(): { guests: { stateName: string }[] } } } } }): string[] => h.rt.host.psp.status().guests.map((g) => g.stateName);

describe('a tampered packet (one flipped ciphertext bit)', () => {
  for (const onFailure of ['finish', 'cancel'] as const) {
    it(`fails RECEIVE_UPDATE_DATA with BAD_MEASUREMENT; x-sev-on-failure ${onFailure}`, { timeout: 120_000 }, () => {
      const t = makeLab({ migrate: { onFailure }, faults: { tamper: { mode: 'flip-bit', packet: 200 } } });
      runUntil(t.lab);
      const src = t.lab.host('src')!;
      const dst = t.lab.host('dst')!;
      const tamper = t.last('wire.tamper')!;
      expect(tamper.detail).toMatch(/^packet 200 \(pc\.ram:(\d+)\): one ciphertext bit flipped$/);
      const pageOffset = Number(/pc\.ram:(\d+)/.exec(tamper.detail)![1]);
      const err = t.last('migration.error', 'dst')!;
      expect(err).toMatchObject({ offset: tamper.streamOffset, record: 'encrypted page' });
      expect(err.message).toBe(`Error RECEIVE_UPDATE_DATA ret=-5 fw_error=11 'Bad measurement' (stream offset ${tamper.streamOffset} = 0x${tamper.streamOffset.toString(16)}, record: encrypted page)`);
      expect(t.of('psp.command', 'dst').filter((e) => e.payload.status === 'BAD_MEASUREMENT').map((e) => e.payload.cmd)).toEqual(['RECEIVE_UPDATE_DATA']);
      // Memory untouched: the target's DRAM never received that page.
      const block = dst.rt.host.vmm.ram.block('pc.ram');
      expect(dst.rt.host.hw.memory.isPageAllocated(block.spa + pageOffset)).toBe(false);
      expect(dst.rt.host.pageStates.has(pageOffset / 4096, PageState.MIGRATED)).toBe(false);
      expect(dst.rt.host.vmm.runstate).toBe('shutdown');
      expect(src.source.status).toBe('failed');
      expect(src.source.error).toBe('Unable to write to socket: Connection reset by peer');
      if (onFailure === 'finish') {
        expect(states(src)).toEqual(['SENT']);
        expect(src.rt.host.vmm.runstate).toBe('postmigrate');
        expect(src.monitor('cont').text).toBe('Error: the SEV guest is in firmware state SENT (SEND_FINISH) and cannot run again');
        expect(t.of('migration.sev', 'src').at(-1)!.payload).toMatchObject({ op: 'SEND_FINISH', ok: true });
      } else {
        expect(states(src)).toEqual(['RUNNING']);
        expect(src.rt.host.vmm.runstate).toBe('running');
        expect(t.of('migration.sev', 'src').at(-1)!.payload).toMatchObject({ op: 'SEND_CANCEL', ok: true });
        // The dead target refuses a new connection; the source stays RUNNING.
        src.monitor('migrate -d tcp:dst:4444');
        runUntil(t.lab, () => src.source.status === 'failed' && t.lab.finished, 2000);
        expect(src.source.error).toBe("Failed to connect to 'dst:4444': Connection refused");
        expect(states(src)).toEqual(['RUNNING']);
      }
    });
  }
});

describe('bad input from the source side', () => {
  it('a record of an unknown type: the target names offset and record; the source follows x-sev-on-failure cancel', { timeout: 120_000 }, () => {
    const t = makeLab({ migrate: { onFailure: 'cancel' }, faults: { tamper: { mode: 'unknown-record', packet: 50 } } });
    runUntil(t.lab);
    const tamper = t.last('wire.tamper')!;
    const dst = t.lab.host('dst')!;
    const src = t.lab.host('src')!;
    expect(dst.target.error).toBe(`Unknown combination of migration flags: 0x620 (stream offset ${tamper.streamOffset} = 0x${tamper.streamOffset.toString(16)}, record: RAM record header)`);
    expect(t.of('console.line', 'dst').at(-1)!.payload.text).toBe('qemu-system-x86_64: load of migration failed: Invalid argument');
    expect(src.source.status).toBe('failed');
    expect(states(src)).toEqual(['RUNNING']);
    expect(src.rt.host.vmm.runstate).toBe('running');
  });
});

describe('migrate_cancel', () => {
  it('right after migrate (before the connection is up): cancelled, nothing sent, no SEV step', { timeout: 120_000 }, () => {
    const t = makeLab({ faults: { cancelAfterMs: 0 } });
    runUntil(t.lab);
    const src = t.lab.host('src')!;
    expect(t.of('migration.status', 'src').map((e) => e.payload.to)).toEqual(['setup', 'cancelling', 'cancelled']);
    expect(t.of('migration.sev')).toHaveLength(0);
    expect(states(src)).toEqual(['RUNNING']);
    expect(src.rt.host.vmm.runstate).toBe('running');
  });

  it('mid-iteration under the series policy: SEND_FINISH on cancel, the source guest is SENT', { timeout: 120_000 }, () => {
    const t = makeLab({ faults: { cancelAfterMs: 3000 } });
    runUntil(t.lab);
    const src = t.lab.host('src')!;
    expect(src.source.status).toBe('cancelled');
    expect(states(src)).toEqual(['SENT']);
    expect(t.lab.host('dst')!.target.error).toMatch(/^Connection reset by peer: the stream ended at offset \d+ inside the/);
  });

  it('during stop-and-copy with x-sev-on-failure cancel: SEND_CANCEL and the stopped guest runs again', { timeout: 300_000 }, () => {
    const t = makeLab({ migrate: { onFailure: 'cancel' } });
    const src = t.lab.host('src')!;
    runUntil(t.lab, () => src.source.downtimeStartNs > 0);
    expect(src.rt.host.vmm.runstate).toBe('finish-migrate');
    expect(src.monitor('migrate_cancel').ok).toBe(true);
    runUntil(t.lab);
    expect(src.source.status).toBe('cancelled');
    expect(states(src)).toEqual(['RUNNING']);
    expect(src.rt.host.vmm.runstate).toBe('running');
    expect(t.lab.host('dst')!.target.status).toBe('failed');
    expect(src.hmp.execute('info migrate')).toContain('Migration status: cancelled');
  });
});

describe('a cut link', () => {
  it('both ends see the connection time out a second later; the series policy leaves the source SENT', { timeout: 120_000 }, () => {
    const t = makeLab({ faults: { cutLinkAfterMs: 3000 } });
    runUntil(t.lab);
    const cut = t.last('wire.cut')!;
    const dst = t.lab.host('dst')!;
    const src = t.lab.host('src')!;
    const dErr = t.of('migration.error', 'dst')[0];
    expect(dErr.t).toBe(cut.at + 1e9);
    expect(dErr.payload.message).toMatch(/^Connection timed out: the stream ended at offset \d+ inside the /);
    expect(src.source.error).toBe('Unable to write to socket: Connection timed out');
    expect(t.of('migration.error', 'src')[0].t).toBeGreaterThanOrEqual(cut.at + 1e9);
    expect(states(src)).toEqual(['SENT']);
    expect(dst.rt.host.vmm.runstate).toBe('shutdown');
    // Nothing sent after the cut reached the target.
    const lastLoad = t.of('migration.load', 'dst').at(-1)!;
    expect(lastLoad.t).toBeLessThanOrEqual(dErr.t);
  });

  it('a cut by input on the running lab behaves the same', { timeout: 120_000 }, () => {
    const t = makeLab();
    const src = t.lab.host('src')!;
    runUntil(t.lab, () => src.source.counters !== undefined && src.source.counters.encrypted > 500);
    t.lab.hops[0].wire.cut(src.rt.clock.now());
    runUntil(t.lab);
    expect(src.source.status).toBe('failed');
    expect(t.lab.host('dst')!.target.status).toBe('failed');
  });
});
