/**
 * The vCPU as the guest (OVMF or the kernel) drives it: CPUID, RDMSR/WRMSR and VMMCALL,
 * each an intercept that KVM answers in the kernel or turns into an exit to the VMM
 * (KVM_RUN returns, the VMM handles `struct kvm_run`, the next KVM_RUN completes it).
 * Every step is an event, so the boot-negotiation stepper reads: the guest's question
 * (`vcpu.*`, component `guest` / `ovmf`), KVM's decision (`kvm.*`), the exit, the VMM's
 * handling, the completion.
 *
 * [U] lab cost model: an intercept handled in KVM costs 1 µs of virtual time, a round
 * trip through the VMM 10 µs.
 */
import { NS } from '../core/clock.js';
import type { Json } from '../core/events.js';
import type { HostContext } from '../host/context.js';
import { kvmFeatureNames, type CpuidEntry } from './cpuid.js';
import { KvmExitReason, exitReasonName } from './uapi/kvm.js';
import { KVM_CPUID_FEATURES, KvmHcErrno, KvmHypercall, KvmMsr, sharedHypercallName, sharedMsrName, hypercallRetName } from './uapi/kvm-para.js';
import { KVM_EXIT_DMA_SHARE, KVM_EXIT_DMA_UNSHARE } from './uapi/abi-v11.js';
import { hex, negErrno, u64 } from './uapi/u64.js';
import { runPayload, type KvmRun } from './run.js';
import { mapGpaRangeHc } from './hypercall-upstream.js';
import { pageEncStatusHc, type HypercallOutcome } from './hypercall-v11.js';
import type { KvmVm } from './kvm.js';
import './events.js';

const IN_KERNEL_NS = 1 * NS.us;
const USERSPACE_NS = 10 * NS.us;

/** Who executes the instruction: the firmware or the kernel (the event's component). */
export type GuestActor = 'guest' | 'ovmf';

/** The result of RDMSR / WRMSR: #GP or a value. */
export interface MsrAccess {
  gp: boolean;
  value: bigint;
}

/** vCPU 0 of a VM. */
export class Vcpu {
  constructor(
    private readonly vm: KvmVm,
    private readonly ctx: HostContext,
  ) {}

  private emit(component: string, kind: Parameters<HostContext['emit']>[0]['kind'], payload: Json): void {
    this.ctx.emit({ host: this.ctx.host, component, kind, payload } as Parameters<HostContext['emit']>[0]);
  }

  private get kvm(): string {
    return `kvm@${this.ctx.host}`;
  }

  /** The name of an MSR under this host's ABI. */
  msrName(msr: number): string {
    return msr === this.vm.abi.msr.index ? this.vm.abi.msr.name : (sharedMsrName(msr) ?? 'unknown');
  }

  /** CPUID(leaf, subleaf). */
  cpuid(leaf: number, subleaf: number, who: GuestActor): CpuidEntry {
    this.emit(who, 'vcpu.cpuid', { leaf: hex(leaf), subleaf: hex(subleaf) });
    this.ctx.clock.advance(IN_KERNEL_NS);
    const e = this.vm.cpuid.lookup(leaf, subleaf);
    this.emit(this.kvm, 'kvm.cpuid', {
      leaf: hex(leaf),
      subleaf: hex(subleaf),
      eax: hex(e.eax),
      ebx: hex(e.ebx),
      ecx: hex(e.ecx),
      edx: hex(e.edx),
      ...(leaf === KVM_CPUID_FEATURES ? { features: kvmFeatureNames(e.eax, this.vm.abi) } : {}),
    });
    return e;
  }

  /** WRMSR. */
  wrmsr(msr: number, value: bigint, who: GuestActor): MsrAccess {
    this.emit(who, 'vcpu.wrmsr', { msr: hex(msr), name: this.msrName(msr), value: hex(value) });
    return this.msrAccess('wrmsr', msr, u64(value));
  }

  /** RDMSR. */
  rdmsr(msr: number, who: GuestActor): MsrAccess {
    this.emit(who, 'vcpu.rdmsr', { msr: hex(msr), name: this.msrName(msr) });
    return this.msrAccess('rdmsr', msr, 0n);
  }

  private msrAccess(dir: 'rdmsr' | 'wrmsr', msr: number, value: bigint): MsrAccess {
    const vm = this.vm;
    const v11Filtered = vm.abi.id === 'v11' && msr === vm.abi.msr.index && vm.sev.active && vm.guestHasFeature(vm.abi.guestGateBit.bit);
    const d = vm.msrs.decide(msr, dir, v11Filtered);
    const base = { dir, msr: hex(msr), name: this.msrName(msr), value: hex(value) };
    if (d.kind === 'gp') {
      this.ctx.clock.advance(IN_KERNEL_NS);
      this.emit(this.kvm, 'kvm.msr', { ...base, outcome: '#GP', why: d.why });
      return { gp: true, value: 0n };
    }
    if (d.kind === 'handled') {
      this.ctx.clock.advance(IN_KERNEL_NS);
      const out = dir === 'wrmsr' ? (vm.handlePvMsrWrite(msr, value), value) : (vm.msrs.values.get(msr) ?? 0n);
      this.emit(this.kvm, 'kvm.msr', { ...base, value: hex(out), outcome: 'handled', why: d.why });
      return { gp: false, value: out };
    }
    this.emit(this.kvm, 'kvm.msr', { ...base, outcome: 'exit', why: d.why });
    const reason = dir === 'wrmsr' ? KvmExitReason.KVM_EXIT_X86_WRMSR : KvmExitReason.KVM_EXIT_X86_RDMSR;
    const run: KvmRun = { exitReason: reason, msr: { error: 0, reason: d.reason, index: msr, data: value } };
    this.toUserspace(run);
    const gp = (run.msr?.error ?? 0) !== 0;
    const data = run.msr?.data ?? 0n;
    this.emit(this.kvm, 'kvm.complete', { exit: exitReasonName(reason) ?? String(reason), ...(gp ? { gp } : { rax: hex(dir === 'rdmsr' ? data : 0n) }) });
    return { gp, value: dir === 'rdmsr' ? data : value };
  }

  /** Exits to the VMM and back (one KVM_RUN round trip). */
  toUserspace(run: KvmRun): void {
    this.ctx.clock.advance(USERSPACE_NS);
    const name = this.exitName(run.exitReason);
    this.emit(this.kvm, 'kvm.exit', { reason: run.exitReason, name, run: runPayload(run) });
    this.vm.exits.handleExit(run);
  }

  /** The name of an exit reason, including the v11-only ones. */
  exitName(reason: number): string {
    if (reason === KVM_EXIT_DMA_SHARE) return 'KVM_EXIT_DMA_SHARE';
    if (reason === KVM_EXIT_DMA_UNSHARE) return 'KVM_EXIT_DMA_UNSHARE';
    return exitReasonName(reason) ?? `#${reason}`;
  }

  /** VMMCALL with RAX = nr, RBX..RSI = a0..a3; returns what RAX holds afterwards. */
  vmmcall(nr: bigint, a0: bigint, a1: bigint, a2: bigint, a3: bigint, who: GuestActor): bigint {
    const vm = this.vm;
    const abi = vm.abi;
    const n = Number(nr & 0xffffffffn);
    const is12 = nr === BigInt(abi.hypercall.nr);
    const name = is12 ? abi.hypercall.name : (sharedHypercallName(n) ?? 'unknown');
    const args = is12 ? abi.describeArgs(a0, a1, a2) : { a0: hex(a0), a1: hex(a1), a2: hex(a2), a3: hex(a3) };
    this.emit(who, 'vcpu.vmmcall', { nr: n, name, abi: abi.id, args });
    let out: HypercallOutcome;
    const view = { sevActive: vm.sev.active, exitHypercallMask: vm.exitHypercallMask };
    if (is12) out = abi.id === 'v11' ? pageEncStatusHc(view, a0, a1, a2) : mapGpaRangeHc(view, a0, a1, a2);
    else if (nr === BigInt(KvmHypercall.KVM_HC_KICK_CPU) || nr === BigInt(KvmHypercall.KVM_HC_SCHED_YIELD)) out = { kind: 'ret', ret: 0n, why: 'handled in KVM' };
    else out = { kind: 'ret', ret: negErrno(KvmHcErrno.KVM_ENOSYS), why: 'no such hypercall' };
    const base = { nr: n, name, abi: abi.id };
    if (out.kind === 'ret') {
      this.ctx.clock.advance(IN_KERNEL_NS);
      this.emit(this.kvm, 'kvm.hypercall', { ...base, outcome: 'ret', ret: hex(out.ret), retName: hypercallRetName(out.ret), why: out.why });
      return out.ret;
    }
    this.emit(this.kvm, 'kvm.hypercall', { ...base, outcome: 'exit', why: out.why });
    this.toUserspace(out.run);
    const rax = out.complete(out.run);
    this.emit(this.kvm, 'kvm.complete', { exit: this.exitName(out.run.exitReason), rax: hex(rax), retName: hypercallRetName(rax) });
    return rax;
  }

  /** The guest writes memory (no event: the workload writes thousands of pages). */
  write(gpa: number, data: Uint8Array, encrypted: boolean): void {
    this.vm.mmu.write(gpa, data, encrypted);
  }

  /** The guest reads memory. */
  read(gpa: number, len: number, encrypted: boolean): Uint8Array {
    return this.vm.mmu.read(gpa, len, encrypted);
  }
}

/** MSRs whose write makes KVM write a structure into guest memory (kvmclock and friends). */
export const PV_MSRS_WITH_GUEST_DATA = [KvmMsr.MSR_KVM_SYSTEM_TIME_NEW, KvmMsr.MSR_KVM_WALL_CLOCK_NEW, KvmMsr.MSR_KVM_STEAL_TIME];
