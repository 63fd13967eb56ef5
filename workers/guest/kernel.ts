/**
 * The lab's SEV guest kernel: its boot as a list of steps with kernel-like console lines
 * (reference sev-migration-flow.md §2.3, §2.5, §3.3, §6.1, §6.2), the runtime
 * `set_memory_*` entry points, and kexec.
 *
 * Boot order: start_kernel → E820 → SEV detection (CPUID 0x8000001F) → `__bss_decrypted`
 * mapped decrypted (head64, too early to notify) → hypervisor detection (CPUID
 * 0x40000000) → `kvm_init_platform` (the ABI's migration init) → kvmclock (WRMSRs; KVM
 * writes the clock pages in plaintext) → per-CPU decrypted data → `mem_encrypt_init`
 * (SWIOTLB decrypted) → `mem_encrypt_free_decrypted_mem` (the unused tail re-encrypted,
 * page by page) → late_initcall (EFI variable → WRMSR) → init → workload.
 */
import { KvmMsr } from '../kvm/uapi/kvm-para.js';
import type { SevMigrationAbi } from '../kvm/uapi/abi.js';
import type { Vcpu } from '../kvm/vcpu.js';
import type { Emitter, HostContext } from '../host/context.js';
import { e820Line, type E820Entry } from '../ovmf/e820.js';
import type { GetVariableResult } from '../ovmf/varstore.js';
import type { X86Layout } from '../vmm/memory-layout.js';
import { kernelLayout, type KernelLayout } from './kernel-layout.js';
import { GuestPageTables } from './page-tables.js';
import type { SerialConsole } from './printk.js';
import { SetMemory } from './set-memory.js';
import type { SevMigrationEnv } from './sev-migration-env.js';
import { wrmsrl } from './sev-migration-env.js';
import { SevMigrationUpstream } from './sev-migration-upstream.js';
import { SevMigrationV11 } from './sev-migration-v11.js';
import type { BootStep } from './steps.js';
import type { PageStates } from '../host/page-states.js';
import { NS } from '../core/clock.js';
import './events.js';

/** How the kernel is booted. */
export interface KernelOptions {
  efiBoot: boolean;
  writesMsr: boolean;
  /** EFI runtime GetVariable (present on EFI boots). */
  getVariable: ((name: string, guid: string, size: number) => GetVariableResult) | undefined;
  e820: readonly E820Entry[];
}

/** What a migration carries of the kernel (in guest memory and registers on real hardware). */
export interface KernelVmstate {
  boots: number;
  sevActive: boolean;
  /** The ABI's migration flag (v11 `sev_live_migration_enabled` / upstream hook installed), null before kvm_init_platform. */
  migrationFlag: boolean | null;
  notifyEnabled: boolean;
  splitFrames: number[];
  kernelStart: number;
}

/** The guest kernel of one VM. */
export class GuestKernel {
  readonly layout: KernelLayout;
  readonly pt: GuestPageTables;
  readonly mem: SetMemory;
  private migration!: SevMigrationV11 | SevMigrationUpstream;
  private sevActive = false;
  /** Boots so far (kexec / reset start another). */
  boots = 0;

  constructor(
    private readonly ctx: HostContext,
    readonly abi: SevMigrationAbi,
    readonly vcpu: Vcpu,
    readonly x86: X86Layout,
    states: PageStates,
    private readonly serial: SerialConsole,
    private readonly emit: Emitter,
    private opts: KernelOptions,
  ) {
    this.layout = kernelLayout(x86);
    this.pt = new GuestPageTables(x86, states);
    this.mem = new SetMemory(abi, vcpu, this.pt, emit);
  }

  private printk(text: string): void {
    this.serial.printk(text);
  }

  private env(): SevMigrationEnv {
    return {
      abi: this.abi,
      vcpu: this.vcpu,
      mem: this.mem,
      layout: this.layout,
      e820: this.opts.e820,
      efiBoot: this.opts.efiBoot,
      getVariable: this.opts.getVariable,
      writesMsr: this.opts.writesMsr,
      sevActive: this.sevActive,
      printk: (t) => this.printk(t),
    };
  }

  /** The kernel's boot, from the hand-over by the firmware to init. */
  bootSteps(): BootStep[] {
    const l = this.layout;
    const c = this.ctx.clock;
    const ms = (n: number): void => void c.advance(n * NS.ms);
    const phase = (p: string): void => this.emit('guest.phase', { phase: p });
    return [
      () => {
        this.boots++;
        this.serial.kernelStart = c.now();
        this.pt.reset(this.opts.e820.filter((e) => e.type === 'usable'));
        this.mem.notifyEnabled = false;
        phase('start_kernel');
        const ver = this.abi.id === 'v11' ? '5.12.0-rc5-sev-migration-v11+' : '5.16.0';
        this.printk(`Linux version ${ver} (lab@kvm-lab) (gcc (GCC) 10.2.1) #1 SMP`);
        this.printk(`Command line: console=ttyS0 root=/dev/vda1 mem_encrypt=on${this.opts.efiBoot ? '' : ' noefi'}`);
        // The kernel image the firmware loaded: private memory with real contents.
        const img = new Uint8Array(l.kernelSize);
        const rng = this.ctx.rng.fork('guest-kernel-image');
        for (let o = 0; o < img.length; o += 4096) img.set(rng.bytes(256), o);
        this.vcpu.write(l.kernelBase, img, true);
      },
      () => {
        this.printk('BIOS-provided physical RAM map:');
        for (const e of this.opts.e820) this.printk(e820Line(e));
        if (!this.opts.efiBoot) this.printk('efi: EFI not found (booted through the legacy boot protocol)');
        else this.printk('efi: EFI v2.70 by EDK II');
        ms(2);
      },
      () => {
        phase('sme_enable');
        const e = this.vcpu.cpuid(0x8000001f, 0, 'guest');
        this.sevActive = (e.eax & 2) !== 0;
        // head64 (sme_postprocess_startup): __bss_decrypted is mapped decrypted before any
        // hypercall path is live, so nothing is notified here (§2.3).
        this.mem.change('sme_postprocess_startup', l.bssDecrypted, l.bssDecryptedSize / 4096, false);
      },
      () => {
        phase('init_hypervisor_platform');
        const sig = this.vcpu.cpuid(0x40000000, 0, 'guest');
        if (sig.ebx === 0x4b4d564b) this.printk('Hypervisor detected: KVM');
        ms(1);
      },
      () => {
        phase('kvm_init_platform');
        this.migration = this.abi.id === 'v11' ? new SevMigrationV11(this.env()) : new SevMigrationUpstream(this.env());
        return this.migration.initPlatform();
      },
      () => {
        phase('kvmclock_init');
        this.printk('kvm-clock: Using msrs 4b564d01 and 4b564d00');
        wrmsrl(this.env(), KvmMsr.MSR_KVM_WALL_CLOCK_NEW, BigInt(l.wallClock));
        wrmsrl(this.env(), KvmMsr.MSR_KVM_SYSTEM_TIME_NEW, BigInt(l.hvClock) | 1n);
        this.printk(`kvm-clock: cpu 0, msr ${(l.hvClock | 1).toString(16)}, primary cpu clock`);
        ms(3);
      },
      () => {
        phase('sev_map_percpu_data');
        const steps = this.mem.change('early_set_memory_decrypted', l.percpuDecrypted, 1, false);
        steps.push(() => {
          wrmsrl(this.env(), KvmMsr.MSR_KVM_STEAL_TIME, BigInt(l.percpuDecrypted) | 1n);
          this.printk(`kvm-guest: stealtime: cpu 0, msr ${l.percpuDecrypted.toString(16)}`);
        });
        return steps;
      },
      () => {
        phase('mem_encrypt_init');
        ms(20);
        this.printk('AMD Memory Encryption Features active: SEV');
        const mb = l.swiotlbSize >> 20;
        this.printk(`software IO TLB: mapped [mem 0x${l.swiotlbBase.toString(16).padStart(16, '0')}-0x${(l.swiotlbBase + l.swiotlbSize - 1).toString(16).padStart(16, '0')}] (${mb}MB)`);
        return this.mem.decrypted(l.swiotlbBase, l.swiotlbSize / 4096);
      },
      () => {
        phase('mem_encrypt_free_decrypted_mem');
        const unused = l.bssDecrypted + l.bssDecryptedUsedPages * 4096;
        const n = l.bssDecryptedSize / 4096 - l.bssDecryptedUsedPages;
        const steps = this.mem.encrypted(unused, n);
        steps.push(() => this.printk(`Freeing unused decrypted memory: ${n * 4}K`));
        return steps;
      },
      () => {
        phase('late_initcall');
        ms(200);
        return this.migration.lateInit();
      },
      () => {
        phase('init');
        this.printk('Run /sbin/init as init process');
        ms(50);
      },
    ];
  }

  /** kexec: the old kernel's reset, then a new kernel boots (no firmware in between). */
  kexecSteps(): BootStep[] {
    return [
      () => {
        this.emit('guest.kexec', { abi: this.abi.id });
        this.printk('kexec_core: Starting new kernel');
        return this.migration?.kexecReset() ?? [];
      },
      ...this.bootSteps(),
    ];
  }

  /** The kernel's state for a migration stream. */
  vmstate(): KernelVmstate {
    const m = this.migration as SevMigrationV11 | SevMigrationUpstream | undefined;
    return {
      boots: this.boots,
      sevActive: this.sevActive,
      migrationFlag: m === undefined ? null : m.notify,
      notifyEnabled: this.mem.notifyEnabled,
      splitFrames: this.pt.splitFrames(),
      kernelStart: this.serial.kernelStart,
    };
  }

  /** Resumes a migrated kernel on this host (its page tables' C-bits arrive in the page-state array). */
  loadVmstate(s: KernelVmstate): void {
    this.boots = s.boots;
    this.sevActive = s.sevActive;
    this.serial.kernelStart = s.kernelStart;
    this.pt.loadSplitFrames(s.splitFrames);
    this.mem.notifyEnabled = s.notifyEnabled;
    if (s.migrationFlag !== null) {
      const m = this.abi.id === 'v11' ? new SevMigrationV11(this.env()) : new SevMigrationUpstream(this.env());
      if (m instanceof SevMigrationV11) m.enabled = s.migrationFlag;
      else m.hooked = s.migrationFlag;
      this.migration = m;
    }
  }

  /** The guest's migration notifications are live. */
  get notifying(): boolean {
    return this.mem.notifyEnabled;
  }

  /** Replaces the boot options (a reset after the firmware changed). */
  setOptions(o: KernelOptions): void {
    this.opts = o;
  }
}
