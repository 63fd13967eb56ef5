/**
 * Device creation, vCPU creation, CTRL_INIT, NR_IRQS and the first KVM_RUN with its
 * teardown (reference §2, §4, §6), per profile where they differ.
 */
import { describe, expect, it } from 'vitest';
import { Harness, rc } from '../test-support/harness.js';
import { ADDR, GRP, ITS, KVM_CREATE_DEVICE_TEST, V2, V3 } from '../uapi.js';
import { KvmVm } from './kvm-vm.js';

describe('KVM_CREATE_VM and KVM_CREATE_DEVICE (§1, §2, §10)', () => {
  it('accepts IPA sizes 32..48 and 0 for the default 40', () => {
    expect([0, 31, 32, 40, 48, 49].map((b) => rc(KvmVm.create('5.13', b).result))).toEqual([0, 'EINVAL', 0, 0, 0, 'EINVAL']);
    expect(KvmVm.create('5.13').vm!.state.ipaBits).toBe(40);
  });

  it('knows no type 0 and no GICv2 on the lab host (ENODEV, TEST or not); TEST creates nothing', () => {
    const vm = KvmVm.create('5.13').vm!;
    expect(rc(vm.createDevice(0, KVM_CREATE_DEVICE_TEST).result)).toBe('ENODEV');
    expect(rc(vm.createDevice(V2, KVM_CREATE_DEVICE_TEST).result)).toBe('ENODEV');
    expect(rc(vm.createDevice(V2).result)).toBe('ENODEV');
    const test = vm.createDevice(V3, KVM_CREATE_DEVICE_TEST);
    expect([rc(test.result), test.device, vm.state.vgic]).toEqual([0, undefined, null]);
    expect(rc(vm.createDevice(V3).result)).toBe(0);
    expect(rc(vm.createDevice(V3).result)).toBe('EEXIST');
    expect(rc(vm.createDevice(V3, KVM_CREATE_DEVICE_TEST).result)).toBe(0);
    expect(rc(vm.createDevice(ITS).result)).toBe(0);
    expect(rc(vm.createDevice(ITS).result)).toBe(0);
  });

  it('refuses a vGIC once a vCPU has run (EBUSY)', () => {
    const h = new Harness();
    h.vcpus(0);
    expect(h.run(0)).toBe(0); // no in-kernel irqchip: the guest just runs
    expect(rc(h.vm.createDevice(V3).result)).toBe('EBUSY');
  });
});

describe('KVM_CREATE_VCPU (§2)', () => {
  it('refuses ids from 512, and any vCPU after CTRL_INIT', () => {
    const h = new Harness();
    expect(h.vcpus(511)).toBe(0);
    expect(h.vcpus(512)).toBe('EINVAL');
    h.v3();
    expect(h.vcpus(1)).toBe(0);
    expect(h.init()).toBe(0);
    expect(h.vcpus(2)).toBe('EBUSY');
    expect(h.vcpus(512)).toBe('EINVAL'); // the id range comes first
  });
});

describe('CTRL_INIT and NR_IRQS (§4)', () => {
  it('NR_IRQS: 64..1023 in steps of 32, once, and never after CTRL_INIT picked 256', () => {
    const h = new Harness();
    h.v3();
    const set = (n: bigint | null) => rc(h.gic.setAttr(GRP.NR_IRQS, 0n, n));
    const get = () => h.read(GRP.NR_IRQS, 0n);
    expect(get()).toBe(32n);
    expect([set(null), set(32n), set(1024n), set(100n)]).toEqual(['EFAULT', 'EINVAL', 'EINVAL', 'EINVAL']);
    expect(set(0x1_0000_0080n)).toBe(0); // a u32: the high word is not read
    expect(get()).toBe(128n);
    expect(set(256n)).toBe('EBUSY');
    const d = new Harness().v3();
    expect(d.init()).toBe(0);
    expect(d.read(GRP.NR_IRQS, 0n)).toBe(256n);
    expect(rc(d.gic.setAttr(GRP.NR_IRQS, 0n, 512n))).toBe('EBUSY');
  });

  it('CTRL_INIT needs no address, reads no buffer and can be repeated', () => {
    const h = new Harness();
    h.vcpus(0);
    h.v3();
    expect(h.init()).toBe(0);
    expect(h.init()).toBe(0);
    expect(h.legacy(0x100000n)).toBe(0); // addresses can still be set
  });
});

describe('the first KVM_RUN (§6)', () => {
  const layout = (profile: '5.12' | '5.13' | '5.16' = '5.13') => {
    const h = new Harness(profile);
    h.vcpus(0, 1);
    h.v3();
    return h;
  };

  it('wants KVM_ARM_VCPU_INIT first (ENOEXEC)', () => {
    const h = layout();
    expect(rc(h.vm.createVcpu(7))).toBe(0);
    expect(h.run(7)).toBe('ENOEXEC');
  });

  it('checks in order: a vCPU without frame, DIST unset, overlap, CTRL_INIT', () => {
    const a = layout();
    expect(a.run(0)).toBe('ENXIO'); // no region at all
    const b = layout();
    b.legacy(0x100000n);
    expect(b.run(0)).toBe('ENXIO'); // DIST unset
    const c = layout();
    c.legacy(0x0n);
    c.dist(0x20000n); // legacy is [0, 0x40000) with 2 vCPUs
    expect(c.run(0)).toBe('EINVAL');
    const d = layout();
    d.legacy(0x0n);
    d.dist(0x40000n);
    expect(d.run(0)).toBe('EBUSY');
    const e = layout();
    e.legacy(0x0n);
    e.dist(0x40000n);
    e.init();
    expect(e.run(0)).toBe(0);
    expect(e.run(1)).toBe(0); // mapped once per VM
  });

  it('tears the vGIC down on failure: frames, regions, NR_IRQS, CTRL_INIT gone; DIST reset from 5.13 on', () => {
    for (const profile of ['5.12', '5.13'] as const) {
      const h = layout(profile);
      h.legacy(0x0n);
      h.dist(0x20000n);
      h.init();
      expect(h.run(0)).toBe('EINVAL');
      const vgic = h.vm.state.vgic!;
      expect([vgic.regions, vgic.nrSpis, vgic.initialized, h.frames()]).toEqual([[], 0, false, { 0: undefined, 1: undefined }]);
      expect(h.getAddr(ADDR.DIST)).toBe(profile === '5.13' ? 0xffff_ffff_ffff_ffffn : 0x20000n);
      expect(h.dist(0x100000n)).toBe(profile === '5.13' ? 0 : 'EEXIST');
      expect(h.typerLow(0)).toBe('EBUSY');
      expect(h.run(0)).toBe(0); // [U] this vCPU has run once: no check repeats
      expect(h.run(1)).toBe('ENXIO'); // a first run of another vCPU maps again
    }
  });
});
