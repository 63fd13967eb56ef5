/**
 * Test helpers for the vGIC kernel model: a VM with vCPUs (created and initialised in a
 * given order) and a GICv3 device, plus one-line wrappers for the attributes the tests
 * use. Errno-or-0 results keep assertions short: `expect(h.region(1, 0x200000n, 2)).toBe('EINVAL')`.
 */
import type { KvmDevice } from '../kernel/device.js';
import { KvmVm } from '../kernel/kvm-vm.js';
import type { KernelProfile } from '../kernel/profiles.js';
import type { KvmResult } from '../kernel/result.js';
import { decodeGicrTyper, type GicrTyperFields } from '../kernel/typer.js';
import { encodeRedistRegion } from '../kernel/vgic-addr.js';
import { ADDR, GRP, ITS, V3 } from '../uapi.js';

/** 0 for success, else the errno name. */
export function rc(r: KvmResult): 0 | string {
  return r.ok ? 0 : r.errno;
}

/** A VM under test. */
export class Harness {
  readonly vm: KvmVm;
  gic!: KvmDevice;

  constructor(
    readonly profile: KernelProfile = '5.13',
    ipaBits = 0,
  ) {
    const made = KvmVm.create(profile, ipaBits);
    if (!made.vm) throw new Error(`KVM_CREATE_VM failed: ${JSON.stringify(made.result)}`);
    this.vm = made.vm;
  }

  /** Creates (and KVM_ARM_VCPU_INIT's) vCPUs in this order; returns the last result. */
  vcpus(...ids: number[]): 0 | string {
    let last: 0 | string = 0;
    for (const id of ids) {
      last = rc(this.vm.createVcpu(id));
      if (last === 0) this.vm.vcpuInit(id);
    }
    return last;
  }

  /** Creates the GICv3 device. */
  v3(): this {
    const out = this.vm.createDevice(V3);
    if (!out.device) throw new Error(`KVM_CREATE_DEVICE failed: ${JSON.stringify(out.result)}`);
    this.gic = out.device;
    return this;
  }

  /** Creates an ITS device. */
  its(): KvmDevice {
    return this.vm.createDevice(ITS).device!;
  }

  dist(base: bigint): 0 | string {
    return rc(this.gic.setAttr(GRP.ADDR, BigInt(ADDR.DIST), base));
  }

  legacy(base: bigint): 0 | string {
    return rc(this.gic.setAttr(GRP.ADDR, BigInt(ADDR.REDIST), base));
  }

  region(index: number, base: bigint, count: number, flags = 0): 0 | string {
    return rc(this.gic.setAttr(GRP.ADDR, BigInt(ADDR.REDIST_REGION), encodeRedistRegion({ index, base, count, flags })));
  }

  /** The last failure's rule id (for checks that must come from a given rule). */
  why(r: KvmResult): string {
    return r.ok ? 'ok' : r.rule;
  }

  init(): 0 | string {
    return rc(this.gic.setAttr(GRP.CTRL, 0n, null));
  }

  run(id: number): 0 | string {
    return rc(this.vm.run(id));
  }

  /** A get_attr of any group with a zero buffer: the value, or the errno. */
  read(group: number, attr: bigint): bigint | string {
    const r = this.gic.getAttr(group, attr, 0n);
    return r.ok ? r.value! : r.errno;
  }

  /** A GRP_ADDR read, or the errno. */
  getAddr(type: number, buf: bigint | null = 0n): bigint | string {
    const r = this.gic.getAttr(GRP.ADDR, BigInt(type), buf);
    return r.ok ? r.value! : r.errno;
  }

  /** The full GICR_TYPER of the vCPU answering to affinity `aff`, read as userspace does. */
  typer(aff: number): GicrTyperFields | string {
    const lo = this.gic.getAttr(GRP.REDIST_REGS, (BigInt(aff) << 32n) | 0x8n, 0n);
    if (!lo.ok) return lo.errno;
    const hi = this.gic.getAttr(GRP.REDIST_REGS, (BigInt(aff) << 32n) | 0xcn, 0n);
    if (!hi.ok) return hi.errno;
    return decodeGicrTyper((hi.value! << 32n) | lo.value!);
  }

  /** The low word of GICR_TYPER as the selftests read it, or the errno. */
  typerLow(aff: number): number | string {
    const t = this.typer(aff);
    return typeof t === 'string' ? t : Number(t.raw & 0xffff_ffffn);
  }

  /** Frame base of each vCPU id (creation order), undefined when unplaced. */
  frames(): Record<number, string | undefined> {
    return Object.fromEntries(
      this.vm.state.vcpus.map((v) => [v.id, v.rdreg ? '0x' + (v.rdreg.base + BigInt(v.slot) * 0x20000n).toString(16) : undefined]),
    );
  }
}
