/**
 * One SEV host, wired: the hardware (RAM, memory controller), the PSP, KVM with this
 * host's ABI, the VMM, OVMF and the guest kernel with its workload — and the boot as a
 * queue of steps, from the VMM creating the VM through the SEV launch, the firmware and
 * the kernel to the running workload (reference sev-migration-flow.md §6.1 / §6.2).
 *
 * Launch order (QEMU with an SEV guest): memslots and firmware images → KVM_SEV_INIT →
 * CPUID, KVM_CAP_EXIT_HYPERCALL, MSR filter → LAUNCH_START → LAUNCH_UPDATE_DATA (OVMF
 * code) → LAUNCH_MEASURE (length query, then for real) → LAUNCH_FINISH (+ the migration
 * blocker) → the vCPU runs OVMF.
 */
import type { AmdRoot } from '../psp/certs/index.js';
import { SevHardware } from '../psp/hardware.js';
import { Psp } from '../psp/psp.js';
import { KvmModule } from '../kvm/kvm.js';
import { abiById } from '../kvm/uapi/abis.js';
import type { AbiId } from '../kvm/uapi/abi.js';
import { errnoName } from '../kvm/uapi/kvm.js';
import { Vmm } from '../vmm/vmm.js';
import { ramPages } from '../vmm/memory-layout.js';
import { Ovmf } from '../ovmf/ovmf.js';
import { e820Map } from '../ovmf/e820.js';
import { ovmfCodeImage, ovmfVarsImage } from '../ovmf/image.js';
import { GuestKernel } from '../guest/kernel.js';
import { SerialConsole } from '../guest/printk.js';
import { StepQueue, type BootStep } from '../guest/steps.js';
import { Workload, type WorkloadParams } from '../guest/workload.js';
import { emitterFor, type HostContext } from './context.js';
import { PageStates } from './page-states.js';

/** A host's configuration (the sev-boot scenario's params). */
export interface SevHostOptions {
  abi: AbiId;
  efi: boolean;
  memMiB: number;
  ovmfFeature: boolean;
  guestWritesMsr: boolean;
  /** SEV policy (QEMU's default 0x1). */
  policy: number;
  /** The workload, or null for none. */
  workload: WorkloadParams | null;
  /**
   * A migration target (QEMU started with `-incoming`): the VMM maps memory, runs SEV init,
   * CPUID and exits only — no LAUNCH_*, no firmware or kernel boot; run state `inmigrate`.
   */
  incoming?: boolean;
  /** Instructor mode: the PSP keeps a key log of its send sessions. */
  instructor?: boolean;
  /** The AMD root that made this host's chip (default the lab's genuine root). */
  amdRoot?: AmdRoot;
}

/** One host with one SEV guest. */
export class SevHost {
  readonly hw: SevHardware;
  readonly psp: Psp;
  readonly kvm: KvmModule;
  readonly vmm: Vmm;
  readonly ovmf: Ovmf;
  readonly kernel: GuestKernel;
  readonly workload: Workload | undefined;
  readonly pageStates: PageStates;
  readonly serial: SerialConsole;
  readonly queue = new StepQueue();
  /** True once the boot queue ran dry with the guest running. */
  failed: string | undefined;

  constructor(
    readonly ctx: HostContext,
    readonly opts: SevHostOptions,
  ) {
    const abi = abiById(opts.abi);
    this.hw = new SevHardware();
    this.psp = new Psp({
      host: ctx.host,
      hardware: this.hw,
      rng: ctx.rng.fork('psp'),
      clock: ctx.clock,
      log: ctx.log,
      ...(opts.instructor ? { instructor: true } : {}),
      ...(opts.amdRoot ? { amdRoot: opts.amdRoot } : {}),
    });
    this.kvm = new KvmModule(ctx, abi, this.hw, { issue: (id, spa) => this.psp.command(id, spa) });
    const ramBytes = opts.memMiB * 1024 * 1024;
    this.pageStates = new PageStates(ramBytes / 4096);
    this.vmm = new Vmm(ctx, this.kvm, this.pageStates, { ramBytes, policy: opts.policy });
    if (ramPages(this.vmm.ram.layout) !== this.pageStates.pages) throw new Error('page-state size mismatch');
    this.serial = new SerialConsole(ctx);
    const layout = this.vmm.ram.layout;
    const vcpu = this.vmm.vm.vcpu;
    this.kernel = new GuestKernel(ctx, abi, vcpu, layout, this.pageStates, this.serial, emitterFor(ctx, 'guest'), {
      efiBoot: opts.efi,
      writesMsr: opts.guestWritesMsr,
      getVariable: opts.efi ? (n, g, s) => this.ovmf.runtimeGetVariable(n, g, s) : undefined,
      e820: e820Map(layout),
    });
    this.ovmf = new Ovmf(abi, vcpu, layout, this.serial, emitterFor(ctx, 'ovmf'), { feature: opts.ovmfFeature, efiBoot: opts.efi }, (gpa, n) =>
      this.kernel.pt.setEncryption(gpa, n, false),
    );
    if (opts.workload) {
      this.workload = new Workload(ctx, vcpu, this.kernel.mem, this.kernel.layout, layout, opts.workload, ctx.rng.fork('workload'), emitterFor(ctx, 'guest'));
    }
    if (opts.incoming) this.queue.push(...this.incomingSteps());
    else this.queue.push(...this.launchSteps(), ...this.guestBootSteps());
  }

  /** A VMM step that stops the boot when its ioctl fails (QEMU exits with an error). */
  private vmmStep(what: string, f: () => number): BootStep {
    return () => {
      if (this.failed) return;
      const r = f();
      if (r !== 0) {
        this.failed = `${what}: ${errnoName(r)}`;
        this.ctx.emit({ host: this.ctx.host, component: `vmm@${this.ctx.host}`, kind: 'console.line', payload: { console: `monitor@${this.ctx.host}`, text: `qemu-system-x86_64: ${this.failed}` } });
        this.queue.clear();
        this.vmm.setRunstate('shutdown');
      }
    };
  }

  /** The VMM's part: memory, SEV init, CPUID and exits, the launch. */
  private launchSteps(): BootStep[] {
    const v = this.vmm;
    return [
      this.vmmStep('kvm_set_user_memory_region', () => {
        const r = v.registerMemory();
        v.loadFirmware(ovmfCodeImage(), ovmfVarsImage());
        return r;
      }),
      this.vmmStep('sev_kvm_init', () => v.sev.init()),
      this.vmmStep('kvm_arch_init', () => v.setupCpuidAndExits()),
      this.vmmStep('sev_launch_start', () => v.sev.launchStart()),
      this.vmmStep('sev_encrypt_flash', () => v.launchUpdateFlash()),
      this.vmmStep('sev_launch_get_measure', () => v.sev.launchMeasure()),
      this.vmmStep('sev_launch_finish', () => v.launchFinishAndRun()),
    ];
  }

  /**
   * `-incoming`: the same machine without a launch (reference §4.7 target 1: an inmigrate
   * run state means SEV init only); the guest's memory and state arrive with the stream.
   */
  private incomingSteps(): BootStep[] {
    const v = this.vmm;
    return [
      this.vmmStep('kvm_set_user_memory_region', () => {
        const r = v.registerMemory();
        v.loadFirmware(ovmfCodeImage(), ovmfVarsImage());
        return r;
      }),
      this.vmmStep('sev_kvm_init', () => v.sev.init()),
      this.vmmStep('kvm_arch_init', () => {
        const r = v.setupCpuidAndExits();
        if (r === 0) v.setRunstate('inmigrate');
        return r;
      }),
    ];
  }

  /** The guest's part: OVMF, the kernel, the workload start. */
  private guestBootSteps(): BootStep[] {
    return [...this.ovmf.bootSteps(), ...this.kernel.bootSteps(), ...(this.workload ? this.workload.startSteps() : [])];
  }

  /** One unit of work: the next boot step, else a workload tick. False when idle. */
  step(): boolean {
    if (this.queue.runOne()) return true;
    if (this.failed || this.vmm.runstate !== 'running') return false;
    if (this.workload?.started) {
      this.workload.tick();
      return true;
    }
    return false;
  }

  /** True while the boot is still in progress. */
  get booting(): boolean {
    return this.queue.length > 0;
  }

  /** Runs the boot to the end (tests, the monitor command, the bench). */
  bootToEnd(): void {
    this.queue.drain();
  }

  /** `system_reset`: the vCPU restarts at the reset vector; OVMF and the kernel boot again (memory and the list stay: [U], see docs). */
  systemReset(): void {
    this.queue.clear();
    if (this.workload) this.workload.started = false;
    this.queue.push(...this.guestBootSteps());
    this.vmm.setRunstate('running');
  }

  /** kexec into a new kernel (no firmware in between). */
  kexec(): void {
    if (this.workload) this.workload.started = false;
    this.queue.push(...this.kernel.kexecSteps(), ...(this.workload ? this.workload.startSteps() : []));
  }
}
