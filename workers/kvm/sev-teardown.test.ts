/**
 * KVM's SEV VM teardown (`sev_vm_destroy`, psp-sev-api.md §12, §13) on a launched, RUNNING
 * guest — the counterpart of the migration target's pending guest (target-teardown.test.ts):
 * here the ASID was really in use, so the firmware leaves it dirty — and KVM's ASID pool
 * with its reclaim bitmap.
 */
import { describe, expect, it } from 'vitest';
import { bootHost } from '../host/test-support/boot.js';
import { AsidPool } from './sev-context.js';
import { SevCmdId } from './uapi/kvm.js';

describe('sev_vm_destroy of a launched guest', () => {
  it('WBINVD, DEACTIVATE (the ASID the guest ran on is dirty), DECOMMISSION; then the fd is gone', () => {
    const { host, log } = bootHost();
    const vm = host.vmm.vm;
    const { asid, handle } = vm.sev;
    expect(host.psp.status().guests.map((g) => g.stateName)).toEqual(['RUNNING']);
    expect(host.psp.status().asids[asid - 1]).toBe('in-use');
    const seq = log.length;
    host.vmm.exit();
    host.vmm.exit();
    const after = log.slice().filter((e) => e.seq >= seq);
    expect(after.filter((e) => e.kind === 'psp.command').map((e) => [(e.payload as { cmd: string }).cmd, (e.payload as { status: string }).status])).toEqual([
      ['DEACTIVATE', 'SUCCESS'],
      ['DECOMMISSION', 'SUCCESS'],
    ]);
    expect(after.filter((e) => e.kind === 'kvm.vm-destroy').map((e) => e.payload)).toEqual([
      { sev: true, asid, handle, psp: ['DEACTIVATE→SUCCESS', 'DECOMMISSION→SUCCESS'], asidState: 'reclaim', note: "WBINVD, DEACTIVATE, DECOMMISSION; the ASID waits for KVM's next WBINVD + DF_FLUSH" },
    ]);
    expect(after.filter((e) => e.kind === 'vmm.runstate').map((e) => e.payload)).toEqual([{ from: 'running', to: 'shutdown' }]);
    const st = host.psp.status();
    expect(st.guests).toEqual([]);
    expect(st.state).toBe('INIT');
    expect(st.asids[asid - 1]).toBe('dirty');
    // WBINVD ran before DEACTIVATE, but DEACTIVATE of a guest that ran clears the cores'
    // WBINVD_DONE (§13): a bare DF_FLUSH needs a fresh WBINVD first.
    expect(host.kvm.dev.call('DF_FLUSH').status).toBe(0x0e);
    expect(host.kvm.dev.flushAsids()).toBe(0);
    expect(host.psp.status().asids[asid - 1]).toBe('clean');
    // The VM's fd is closed: its ioctls never reach KVM.
    expect(vm.sev).toMatchObject({ active: false, asid: 0, handle: 0 });
    expect(host.vmm.sev.ioctl(SevCmdId.KVM_SEV_GUEST_STATUS, new Uint8Array(12)).ret).toBe(-9);
  });
});

describe("KVM's ASID pool (sev_asid_bitmap + sev_reclaim_asid_bitmap)", () => {
  it('a freed ASID is handed out again only after a flush, when the pool is empty', () => {
    const pool = new AsidPool(1, 3);
    let flushes = 0;
    const flush = (): boolean => (flushes++, true);
    expect([pool.alloc(flush), pool.alloc(flush)]).toEqual([1, 2]);
    pool.free(1);
    expect(pool.state(1)).toBe('reclaim');
    expect(pool.alloc(flush)).toBe(3);
    expect(flushes).toBe(0);
    expect(pool.alloc(flush)).toBe(1);
    expect(flushes).toBe(1);
    expect([pool.state(1), pool.state(2), pool.state(3)]).toEqual(['in-use', 'in-use', 'in-use']);
  });

  it('no free ASID and a failed flush (or nothing to reclaim): 0, and the reclaim bitmap stays', () => {
    const pool = new AsidPool(1, 1);
    expect(pool.alloc()).toBe(1);
    expect(pool.alloc(() => true)).toBe(0);
    pool.free(1);
    expect(pool.alloc(() => false)).toBe(0);
    expect(pool.state(1)).toBe('reclaim');
    pool.free(1);
    expect(pool.alloc(() => true)).toBe(1);
    // Freeing an ASID nobody holds changes nothing.
    pool.free(7);
    expect(pool.state(7)).toBe('free');
  });
});
