/**
 * The QEMU-like VMM of one host: creates the VM, maps guest RAM and the OVMF flash, sets
 * the guest's CPUID, capabilities and MSR filter, runs the SEV launch, and handles every
 * exit KVM returns (hypercall / DMA_SHARE / DMA_UNSHARE → shared-regions list, WRMSR of
 * the migration MSR → migration blocker, MMIO on the pflash → variable store).
 *
 * Its API is also what the later migration work needs: RAM pages with their state
 * (`ram`, `pageStates`, `shared`), the dirty log (`vm.getDirtyLog`), raw page bytes
 * (`ram.readRaw`), SEND_* / RECEIVE_* through `sev.ioctl`, and `stop` / `cont`.
 */
import { bytesToHex } from '@noble/hashes/utils.js';
import { sha256 } from '@noble/hashes/sha2.js';
import type { KvmModule, KvmVm } from '../kvm/kvm.js';
import type { KvmRun, UserspaceExitHandler } from '../kvm/run.js';
import { KVM_EXIT_DMA_SHARE, KVM_EXIT_DMA_UNSHARE } from '../kvm/uapi/abi-v11.js';
import { KvmCap, KvmExitReason, KvmMsrExitReason } from '../kvm/uapi/kvm.js';
import { KVM_CPUID_FEATURES } from '../kvm/uapi/kvm-para.js';
import { hex } from '../kvm/uapi/u64.js';
import { emitterFor, hostComponent, type Emitter, type HostContext } from '../host/context.js';
import { PageState, type PageStates } from '../host/page-states.js';
import { handleDmaSharingExit } from './exit-v11.js';
import { handleHypercallExit } from './exit-upstream.js';
import { FLASH1_BASE, OVMF_VARS_SIZE, ramOffsetOf, x86Layout } from './memory-layout.js';
import { MigrationBlockers, SEV_MIGRATION_BLOCKER } from './migration-blocker.js';
import { MigrationMsr, migrationMsrFilter } from './migration-msr.js';
import { ProcessMemory } from './process-memory.js';
import { GuestRam } from './ram.js';
import { SevGuest } from './sev-guest.js';
import { SharedRegionsList } from './shared-regions.js';
import './events.js';

/** QEMU run states the lab uses. */
export type RunState = 'prelaunch' | 'running' | 'paused' | 'shutdown' | 'finish-migrate' | 'postmigrate' | 'inmigrate';

/** How to build a VMM. */
export interface VmmOptions {
  ramBytes: number;
  /** SEV guest policy (QEMU default 0x1). */
  policy: number;
}

/** The VMM of one host. */
export class Vmm implements UserspaceExitHandler {
  readonly mem: ProcessMemory;
  readonly ram: GuestRam;
  readonly vm: KvmVm;
  readonly sev: SevGuest;
  readonly shared = new SharedRegionsList();
  readonly blockers = new MigrationBlockers();
  readonly migrationMsr: MigrationMsr;
  runstate: RunState = 'prelaunch';
  /** The process has exited ({@link exit}): no monitor, no fds, no VM. */
  exited = false;
  /** Told about every write the VMM itself makes to a RAM block (the pflash), as QEMU's memory_region_set_dirty; the migration marks it dirty. */
  onRamWrite: ((block: string, offset: number, len: number) => void) | undefined;
  private readonly emit: Emitter;

  constructor(
    readonly ctx: HostContext,
    readonly kvm: KvmModule,
    readonly pageStates: PageStates,
    opts: VmmOptions,
  ) {
    this.emit = emitterFor(ctx, hostComponent(ctx, 'vmm'));
    this.mem = new ProcessMemory(kvm.hw.memory);
    this.ram = new GuestRam(x86Layout(opts.ramBytes), this.mem);
    this.vm = kvm.createVm(this.mem, this);
    this.sev = new SevGuest(this.vm, this.mem, this.emit, opts.policy);
    this.migrationMsr = new MigrationMsr(kvm.abi);
    this.vm.unencryptedRegion = (gfn, n) => this.shared.normalized().some((r) => gfn >= r.start && gfn + n <= r.end);
    const ramHva = this.ram.block('pc.ram').hva;
    const states = pageStates;
    this.vm.mmu.observer = (slot, gfn, encrypted) => {
      if (slot.slot > 2) return;
      const i = (slot.userspaceAddr - ramHva) / 4096 + (gfn - slot.basePage);
      const b = states.bytes;
      b[i] = (b[i] | PageState.TOUCHED | PageState.DIRTY) & ~PageState.PLAINTEXT & 0xff;
      if (!encrypted) b[i] |= PageState.PLAINTEXT;
    };
  }

  /** The VMM's emitter (for the host wiring's own VMM-side events). */
  get emitter(): Emitter {
    return this.emit;
  }

  /** Changes the run state (an event when it changes). */
  setRunstate(to: RunState): void {
    if (to === this.runstate) return;
    this.emit('vmm.runstate', { from: this.runstate, to });
    this.runstate = to;
  }

  /** Registers the memslots; 0 or the failing ioctl's errno. */
  registerMemory(): number {
    return this.ram.registerMemslots(this.vm);
  }

  /** Loads the firmware images into the flash units (raw: LAUNCH_UPDATE_DATA encrypts flash0 later). */
  loadFirmware(code: Uint8Array, vars: Uint8Array = new Uint8Array(0)): void {
    const c = this.ram.block('system.flash0');
    this.mem.write(c.hva, code.subarray(0, c.size));
    this.emit('vmm.load-firmware', { unit: 'system.flash0', gpa: hex(c.mappings[0].gpa), size: code.length, sha256: bytesToHex(sha256(code)) });
    if (vars.length) {
      const v = this.ram.block('system.flash1');
      this.mem.write(v.hva, vars.subarray(0, v.size));
      this.emit('vmm.load-firmware', { unit: 'system.flash1', gpa: hex(v.mappings[0].gpa), size: vars.length, sha256: bytesToHex(sha256(vars)) });
    }
  }

  /**
   * The guest's CPUID: KVM_GET_SUPPORTED_CPUID plus, for an SEV guest, the ABI's migration
   * bits the VMM may offer (upstream: bit 17 always, bit 16 only if KVM_CAP_EXIT_HYPERCALL
   * can exit on hypercall 12, QV4-09; v11: KVM already offers bit 16), then
   * KVM_SET_CPUID2. Also enables the hypercall exit (upstream) and the MSR filter.
   */
  setupCpuidAndExits(): number {
    const abi = this.kvm.abi;
    const entries = this.kvm.supportedCpuid();
    const leaf = entries.find((e) => e.function === KVM_CPUID_FEATURES)!;
    const set: string[] = [];
    let note: string;
    if (abi.id === 'upstream') {
      const mask = this.vm.checkExtension(KvmCap.KVM_CAP_EXIT_HYPERCALL);
      for (const b of abi.vmmFeatureBits) {
        if (b.bit === 16 && (mask & (1 << abi.hypercall.nr)) === 0) continue;
        leaf.eax = (leaf.eax | (1 << b.bit)) >>> 0;
        set.push(b.name);
      }
      note = 'upstream KVM sets neither bit; the VMM adds MIGRATION_CONTROL for every SEV guest and HC_MAP_GPA_RANGE when the hypercall can exit';
      if (mask) {
        const r = this.vm.enableCap(KvmCap.KVM_CAP_EXIT_HYPERCALL, BigInt(mask));
        if (r !== 0) return r;
      }
    } else {
      for (const b of abi.vmmFeatureBits) if ((leaf.eax >>> b.bit) & 1) set.push(b.name);
      note = 'v11 KVM advertises SEV_LIVE_MIGRATION in KVM_GET_SUPPORTED_CPUID; the VMM passes it on';
    }
    this.emit('vmm.cpuid', { leaf: hex(KVM_CPUID_FEATURES), eax: hex(leaf.eax), bitsSet: set, note });
    let r = this.vm.setCpuid2(entries);
    if (r === 0) r = this.vm.enableCap(KvmCap.KVM_CAP_X86_USER_SPACE_MSR, BigInt(KvmMsrExitReason.KVM_MSR_EXIT_REASON_FILTER));
    if (r === 0) r = this.vm.setMsrFilter(migrationMsrFilter(abi));
    return r;
  }

  /** LAUNCH_UPDATE_DATA over the whole OVMF code flash. */
  launchUpdateFlash(): number {
    const c = this.ram.block('system.flash0');
    return this.sev.launchUpdateData(c.hva, c.size);
  }

  /** LAUNCH_FINISH, the migration blocker, and the guest starts running. */
  launchFinishAndRun(): number {
    const r = this.sev.launchFinish();
    if (r !== 0) return r;
    if (this.blockers.add(SEV_MIGRATION_BLOCKER)) this.emit('vmm.migration-blocker', { action: 'add', reason: SEV_MIGRATION_BLOCKER });
    this.setRunstate('running');
    return 0;
  }

  /** KVM_RUN returned with `run`: handle it (UserspaceExitHandler). */
  handleExit(run: KvmRun): void {
    switch (run.exitReason) {
      case KvmExitReason.KVM_EXIT_HYPERCALL:
        handleHypercallExit(run, (op, gfn, n) => this.updateShared(op, gfn, n), (gfn, n, why, ret) => this.rejectShared(gfn, n, why, ret));
        return;
      case KVM_EXIT_DMA_SHARE:
      case KVM_EXIT_DMA_UNSHARE:
        handleDmaSharingExit(run, (op, gfn, n) => this.updateShared(op, gfn, n));
        return;
      case KvmExitReason.KVM_EXIT_X86_WRMSR:
      case KvmExitReason.KVM_EXIT_X86_RDMSR:
        this.handleMsrExit(run);
        return;
      case KvmExitReason.KVM_EXIT_MMIO:
        this.handleMmio(run);
        return;
    }
  }

  private handleMsrExit(run: KvmRun): void {
    const m = run.msr!;
    const abi = this.kvm.abi;
    if (m.index !== abi.msr.index) {
      m.error = 1; // not an MSR this VMM filters: #GP
      return;
    }
    const dir = run.exitReason === KvmExitReason.KVM_EXIT_X86_WRMSR ? 'wrmsr' : 'rdmsr';
    if (dir === 'wrmsr') {
      if (this.migrationMsr.write(m.data) && this.blockers.del(SEV_MIGRATION_BLOCKER)) {
        this.emit('vmm.migration-blocker', { action: 'del', reason: SEV_MIGRATION_BLOCKER });
      }
    } else m.data = this.migrationMsr.value;
    this.emit('vmm.migration-msr', { dir, msr: hex(m.index), name: abi.msr.name, value: hex(m.data), migrationAllowed: this.blockers.allowed });
  }

  private handleMmio(run: KvmRun): void {
    const io = run.mmio!;
    if (io.isWrite && io.physAddr >= FLASH1_BASE && io.physAddr + io.len <= FLASH1_BASE + OVMF_VARS_SIZE) {
      const b = this.ram.block('system.flash1');
      this.mem.write(b.hva + (io.physAddr - FLASH1_BASE), io.data);
      this.onRamWrite?.('system.flash1', io.physAddr - FLASH1_BASE, io.len);
      this.emit('vmm.pflash-write', { unit: 'system.flash1', offset: hex(io.physAddr - FLASH1_BASE), len: io.len });
    }
  }

  /** Applies a list change from either ABI's exit; returns the guest's RAX value. */
  private updateShared(op: 'add' | 'remove', gfn: bigint, npages: bigint): bigint {
    const result = op === 'add' ? this.shared.add(gfn, npages) : `${this.shared.remove(gfn, npages)} node(s) changed`;
    const end = gfn + npages;
    this.syncListed(Number(gfn), end > BigInt(2 ** 52) ? 2 ** 52 : Number(end));
    this.emit('vmm.shared-regions', { op, gfnStart: hex(gfn), gfnEnd: hex(end), result, regions: this.shared.length, ret: '0x0' });
    return 0n;
  }

  private rejectShared(gfn: bigint, npages: bigint, why: string, ret: bigint): void {
    this.emit('vmm.shared-regions', { op: 'reject', gfnStart: hex(gfn), gfnEnd: hex(gfn + npages), result: why, regions: this.shared.length, ret: hex(ret) });
  }

  /** Recomputes the LISTED bit of the RAM pages of frames `[start, end)` (also after a migration loaded the list). */
  syncListed(start: number, end: number): void {
    const layout = this.ram.layout;
    const regions = this.shared.normalized();
    for (const m of this.ram.block('pc.ram').mappings) {
      const a = Math.max(start, m.gpa / 4096);
      const b = Math.min(end, (m.gpa + m.size) / 4096);
      if (a >= b) continue;
      const idx = (gfn: number): number => ramOffsetOf(layout, gfn * 4096)! / 4096;
      this.pageStates.setBits(idx(a), b - a, PageState.LISTED, false);
      for (const r of regions) {
        const s = Math.max(a, r.start);
        const e = Math.min(b, r.end);
        if (s < e) this.pageStates.setBits(idx(s), e - s, PageState.LISTED, true);
      }
    }
  }

  /**
   * The QEMU process exits (`exit(EXIT_FAILURE)` after a failed incoming load, for one):
   * its vCPUs are gone (run state `shutdown`, the lab's name for "no process") and the
   * kernel closes its fds — the VM's last close makes KVM tear the VM down, SEV context
   * included (`KvmVm.destroy`). A second call does nothing.
   */
  exit(): void {
    if (this.exited) return;
    this.exited = true;
    this.setRunstate('shutdown');
    this.vm.destroy();
  }

  /** `stop`: pause the vCPUs. */
  stop(): void {
    if (this.runstate === 'running') this.setRunstate('paused');
  }

  /** `cont`: resume them. */
  cont(): void {
    if (this.runstate === 'paused') this.setRunstate('running');
  }
}
