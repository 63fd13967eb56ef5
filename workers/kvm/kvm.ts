/**
 * KVM on one host: the module (ABI of this host's kernel, the PSP driver, the ASID pool,
 * the kernel's page pool) and its VMs. A VM is what the VMM's ioctls act on: memslots and
 * dirty logging, CPUID, MSR filter and user-space MSR exits, KVM_CAP_EXIT_HYPERCALL, and
 * KVM_MEMORY_ENCRYPT_OP to the PSP; and what the guest runs on (vCPU 0, the MMU).
 *
 * Every ioctl is one `kvm.ioctl` event (KVM_MEMORY_ENCRYPT_OP one `kvm.sev-cmd` event
 * listing the PSP commands it issued), and every call returns the ioctl's value instead
 * of throwing: 0, or a negative errno.
 */
import type { Json } from '../core/events.js';
import type { HostContext } from '../host/context.js';
import type { SevHardware } from '../psp/hardware.js';
import { statusName } from '../psp/status.js';
import { CpuidTable, supportedCpuid, type CpuidEntry } from './cpuid.js';
import { KernelMemory } from './kernel-memory.js';
import { Memslots, type UserspaceMemoryRegion } from './memslots.js';
import { GuestMmu } from './mmu.js';
import { MsrHandling, type MsrFilter } from './msr.js';
import type { UserspaceExitHandler } from './run.js';
import { memoryEncryptOp } from './sev.js';
import { AsidPool, type SevOpContext, type SevVmState } from './sev-context.js';
import { sevVmDestroy } from './sev-teardown.js';
import { SevDev, type PspPort } from './sev-dev.js';
import { KVM_HC_MAP_GPA_RANGE } from './uapi/abi-upstream.js';
import type { SevMigrationAbi } from './uapi/abi.js';
import { Errno, KvmCap, KvmMsrExitReason, errnoName } from './uapi/kvm.js';
import { KvmMsr } from './uapi/kvm-para.js';
import { hex } from './uapi/u64.js';
import type { UserMemory } from './user-memory.js';
import { Vcpu } from './vcpu.js';
import './events.js';

/** [U] lab choice: the wall-clock time KVM reports to guests (2021-04-05 00:00 UTC, the v11 posting). */
export const LAB_WALL_CLOCK_EPOCH_S = 1617580800;

/** KVM on one host. */
export class KvmModule {
  readonly dev: SevDev;
  readonly asids: AsidPool;
  readonly kmem: KernelMemory;

  constructor(
    readonly ctx: HostContext,
    /** The ABI of this host's kernel (v11 patches or upstream). */
    readonly abi: SevMigrationAbi,
    readonly hw: SevHardware,
    psp: PspPort,
  ) {
    this.kmem = new KernelMemory(hw.memory);
    this.dev = new SevDev(psp, this.kmem, () => hw.wbinvd());
    this.asids = new AsidPool(hw.cpu.minSevAsid, hw.cpu.maxAsid);
  }

  /** KVM_GET_SUPPORTED_CPUID. */
  supportedCpuid(): CpuidEntry[] {
    return supportedCpuid(this.abi, this.hw.cpu);
  }

  /** KVM_CREATE_VM (+ KVM_CREATE_VCPU 0): a VM whose VMM is `user` / `exits`. */
  createVm(user: UserMemory, exits: UserspaceExitHandler): KvmVm {
    return new KvmVm(this, user, exits);
  }
}

/** One VM. */
export class KvmVm {
  readonly memslots = new Memslots();
  readonly cpuid = new CpuidTable();
  readonly msrs = new MsrHandling();
  readonly sev: SevVmState = { active: false, asid: 0, handle: 0, policy: 0 };
  readonly mmu: GuestMmu;
  readonly vcpu: Vcpu;
  /** KVM_CAP_EXIT_HYPERCALL mask enabled by the VMM (upstream). */
  exitHypercallMask = 0n;
  /** The fd was closed and the VM torn down ({@link destroy}); its ioctls give -EBADF. */
  destroyed = false;
  /** [U] lab choice (sev-debug.ts): the VMM's answer to "is this range shared?" for DBG_DECRYPT. */
  unencryptedRegion: ((gfn: number, npages: number) => boolean) | undefined;

  constructor(
    readonly module: KvmModule,
    readonly user: UserMemory,
    readonly exits: UserspaceExitHandler,
  ) {
    this.vcpu = new Vcpu(this, module.ctx);
    this.mmu = new GuestMmu(this.memslots, user, module.hw.controller, (run) => this.vcpu.toUserspace(run));
  }

  /** This host's ABI. */
  get abi(): SevMigrationAbi {
    return this.module.abi;
  }

  private ioctl(name: string, args: Record<string, Json>, ret: number): number {
    this.module.ctx.emit({ host: this.module.ctx.host, component: `kvm@${this.module.ctx.host}`, kind: 'kvm.ioctl', payload: { ioctl: name, args, ret, retName: errnoName(ret) } });
    return ret;
  }

  /** KVM_CHECK_EXTENSION on the VM. */
  checkExtension(cap: number): number {
    let r = 0;
    if (cap === KvmCap.KVM_CAP_EXIT_HYPERCALL) r = this.abi.id === 'upstream' ? 1 << KVM_HC_MAP_GPA_RANGE : 0;
    else if (cap === KvmCap.KVM_CAP_X86_USER_SPACE_MSR || cap === KvmCap.KVM_CAP_X86_MSR_FILTER) r = 1;
    return this.ioctl('KVM_CHECK_EXTENSION', { cap }, r);
  }

  /** KVM_ENABLE_CAP {cap, args[0]}. */
  enableCap(cap: number, arg0: bigint): number {
    let r = 0;
    if (cap === KvmCap.KVM_CAP_EXIT_HYPERCALL && this.abi.id === 'upstream') {
      if ((arg0 & ~(1n << BigInt(KVM_HC_MAP_GPA_RANGE))) !== 0n) r = -Errno.EINVAL;
      else this.exitHypercallMask = arg0;
    } else if (cap === KvmCap.KVM_CAP_X86_USER_SPACE_MSR) {
      const all = BigInt(KvmMsrExitReason.KVM_MSR_EXIT_REASON_INVAL | KvmMsrExitReason.KVM_MSR_EXIT_REASON_UNKNOWN | KvmMsrExitReason.KVM_MSR_EXIT_REASON_FILTER);
      if ((arg0 & ~all) !== 0n) r = -Errno.EINVAL;
      else this.msrs.userSpaceMsrMask = Number(arg0);
    } else r = -Errno.EINVAL;
    return this.ioctl('KVM_ENABLE_CAP', { cap, arg0: hex(arg0) }, r);
  }

  /** KVM_SET_USER_MEMORY_REGION. */
  setUserMemoryRegion(r: UserspaceMemoryRegion): number {
    const ret = this.memslots.set(r);
    return this.ioctl('KVM_SET_USER_MEMORY_REGION', { slot: r.slot, flags: r.flags, guest_phys_addr: hex(r.guestPhysAddr), memory_size: hex(r.memorySize), userspace_addr: hex(r.userspaceAddr) }, ret);
  }

  /** KVM_SET_CPUID2. */
  setCpuid2(entries: readonly CpuidEntry[]): number {
    this.cpuid.set(entries);
    return this.ioctl('KVM_SET_CPUID2', { nent: entries.length }, 0);
  }

  /** KVM_X86_SET_MSR_FILTER. */
  setMsrFilter(filter: MsrFilter): number {
    this.msrs.filter = { flags: filter.flags, ranges: filter.ranges.map((x) => ({ ...x, bitmap: x.bitmap.slice() })) };
    return this.ioctl('KVM_X86_SET_MSR_FILTER', { flags: filter.flags, ranges: filter.ranges.map((x) => ({ flags: x.flags, base: hex(x.base), nmsrs: x.nmsrs })) }, 0);
  }

  /** KVM_GET_DIRTY_LOG {slot}: the slot's bitmap, cleared as it is returned. */
  getDirtyLog(slot: number): { ret: number; bitmap?: Uint8Array } {
    const r = this.memslots.getDirtyLog(slot);
    let dirty = 0;
    if (r.bitmap) for (const b of r.bitmap) for (let v = b; v; v &= v - 1) dirty++;
    this.ioctl('KVM_GET_DIRTY_LOG', { slot, dirty }, r.ret);
    return r;
  }

  /** KVM_MEMORY_ENCRYPT_OP with `struct kvm_sev_cmd` at userspace address `argUaddr`. */
  memoryEncryptOp(argUaddr: number): number {
    const m = this.module;
    if (this.destroyed) return -Errno.EBADF;
    const ctx: SevOpContext = {
      sev: this.sev,
      user: this.user,
      dev: m.dev,
      asids: m.asids,
      memslots: this.memslots,
      cBit: m.hw.cpu.cBit,
      error: 0,
      ...(this.unencryptedRegion ? { unencryptedRegion: this.unencryptedRegion } : {}),
    };
    m.dev.takeTrace();
    const r = memoryEncryptOp(ctx, argUaddr);
    this.mmu.asid = this.sev.active ? this.sev.asid : 0;
    m.ctx.emit({
      host: m.ctx.host,
      component: `kvm@${m.ctx.host}`,
      kind: 'kvm.sev-cmd',
      payload: { id: r.id, name: r.name, ret: r.ret, retName: errnoName(r.ret), error: r.error, errorName: statusName(r.error), psp: m.dev.takeTrace(), ...(r.note ? { note: r.note } : {}) },
    });
    return r.ret;
  }

  /**
   * The last close of the VM's fd (`kvm_destroy_vm`): for an SEV VM, `sev_vm_destroy`
   * (WBINVD, DEACTIVATE + DECOMMISSION when it has a firmware handle, the ASID to KVM's
   * reclaim bitmap; sev-teardown.ts). One `kvm.vm-destroy` event; a second call does nothing.
   */
  destroy(): void {
    if (this.destroyed) return;
    this.destroyed = true;
    const m = this.module;
    m.dev.takeTrace();
    const r = sevVmDestroy({ sev: this.sev, dev: m.dev, asids: m.asids }, () => m.hw.wbinvd());
    this.mmu.asid = 0;
    const note = !r.sev ? 'not an SEV VM: nothing for the PSP' : r.handle === 0 ? 'no firmware context (handle 0): no DEACTIVATE / DECOMMISSION' : 'WBINVD, DEACTIVATE, DECOMMISSION; the ASID waits for KVM\'s next WBINVD + DF_FLUSH';
    m.ctx.emit({
      host: m.ctx.host,
      component: `kvm@${m.ctx.host}`,
      kind: 'kvm.vm-destroy',
      payload: { sev: r.sev, asid: r.asid, handle: r.handle, psp: m.dev.takeTrace(), asidState: r.sev ? m.asids.state(r.asid) : 'none', note },
    });
  }

  /** True when the guest's CPUID table has bit `bit` of leaf 0x40000001 EAX. */
  guestHasFeature(bit: number): boolean {
    return ((this.cpuid.lookup(0x40000001, 0).eax >>> bit) & 1) === 1;
  }

  /** KVM's own handling of the PV MSRs: remember the value, fill the guest structure (C-bit clear). */
  handlePvMsrWrite(msr: number, value: bigint): void {
    this.msrs.values.set(msr, value);
    const ctx = this.module.ctx;
    // Low bits are flags: bit 0 enable (system time), bits 5:0 (steal time); wall clock has none.
    const flags = msr === KvmMsr.MSR_KVM_STEAL_TIME ? 63n : msr === KvmMsr.MSR_KVM_SYSTEM_TIME_NEW ? 1n : 0n;
    const gpa = Number(value & ~flags & ((1n << 52n) - 1n));
    const put = (len: number, what: string, fill: (v: DataView) => void): void => {
      const b = new Uint8Array(len);
      fill(new DataView(b.buffer));
      this.mmu.write(gpa, b, false);
      ctx.emit({ host: ctx.host, component: `kvm@${ctx.host}`, kind: 'kvm.guest-write', payload: { gpa: hex(gpa), len, what } });
    };
    const ns = ctx.clock.now();
    if (msr === KvmMsr.MSR_KVM_SYSTEM_TIME_NEW && (value & 1n) === 1n) {
      // struct pvclock_vcpu_time_info: version, pad, tsc_timestamp, system_time, mul, shift, flags.
      put(32, 'pvclock_vcpu_time_info (kvmclock)', (v) => {
        v.setUint32(0, 2, true);
        v.setBigUint64(8, BigInt(ns) * 3n, true);
        v.setBigUint64(16, BigInt(ns), true);
        v.setUint32(24, 0xaaaaaaab, true);
        v.setInt8(28, -1);
        v.setUint8(29, 1);
      });
    } else if (msr === KvmMsr.MSR_KVM_WALL_CLOCK_NEW) {
      put(12, 'pvclock_wall_clock', (v) => {
        v.setUint32(0, 2, true);
        v.setUint32(4, LAB_WALL_CLOCK_EPOCH_S, true);
        v.setUint32(8, 0, true);
      });
    } else if (msr === KvmMsr.MSR_KVM_STEAL_TIME && (value & 1n) === 1n) {
      put(64, 'kvm_steal_time', (v) => v.setUint32(8, 2, true));
    }
  }
}
