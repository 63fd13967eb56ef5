/**
 * `sev-boot`: one SEV host from power-on to a running guest (reference
 * sev-migration-flow.md §6.1 / §6.2). Each `step()` is one unit of the boot (a VMM ioctl
 * group, one PSP-backed sub-command, one CPUID / WRMSR / hypercall exchange, a few console
 * lines), then one workload tick.
 *
 * Inputs (never throw; bad input answers like the real component and the run goes on):
 * - `{monitor: "info sev"}`: an HMP command; the prompt and the output go to console
 *   `monitor@src`;
 * - `{guest: "kexec"}`;
 * - `{guest: "set_memory_decrypted" | "set_memory_encrypted", gpa, npages}`;
 * - `{guest: "hypercall", nr?, a0, a1, a2}` (a raw VMMCALL; numbers or hex strings);
 * - `{guest: "wrmsr", msr, value}`.
 * Guest results are printed on the serial console as the kernel would.
 *
 * Snapshot/restore: not provided — the machine's state includes guest memory, so the
 * session replays from the start instead (deterministic, so the result is the same).
 */
import { isObject } from '../../core/documents.js';
import type { Json } from '../../core/events.js';
import type { InputResult, Machine, MachineContext, MachineKind } from '../../core/machine.js';
import { SevHost } from '../../host/sev-host.js';
import { PageState } from '../../host/page-states.js';
import { Hmp } from '../../vmm/monitor/hmp.js';
import { hypercallRetName } from '../../kvm/uapi/kvm-para.js';
import { hex, parseU64 } from '../../kvm/uapi/u64.js';
import { parseSevBootParams } from './params.js';
import { inspectSevHosts, type HostInspection } from '../host-inspection.js';

/** A running sev-boot scenario. */
export class SevBootMachine implements Machine, HostInspection {
  readonly host: SevHost;
  readonly hmp: Hmp;
  private readonly inspection = inspectSevHosts(() => new Map([['src', this.host]]));
  readonly hostNames = this.inspection.hostNames;
  readonly guestMemoryDigest = this.inspection.guestMemoryDigest;
  readonly pageStates = this.inspection.pageStates;

  constructor(
    private readonly ctx: MachineContext,
    params: Json,
  ) {
    const opts = parseSevBootParams(params, 'params');
    this.host = new SevHost({ host: 'src', clock: ctx.clock, rng: ctx.rng, log: ctx.log, emit: (d) => ctx.emit(d) }, opts);
    this.hmp = new Hmp({ vmm: this.host.vmm, systemReset: () => this.host.systemReset() });
  }

  step(): boolean {
    return this.host.step();
  }

  /** Runs one HMP line: echo, output lines on `monitor@src`, and the text. */
  monitor(line: string): InputResult {
    const out = this.hmp.execute(line);
    const emit = (text: string): void => this.ctx.emit({ host: 'src', component: 'vmm@src', kind: 'console.line', payload: { console: 'monitor@src', text } });
    emit(`(qemu) ${line}`);
    for (const l of out) emit(l);
    const bad = out.length > 0 && /^(unknown command|Try "help|invalid char|.*extraneous characters)/.test(out[out.length - 1]);
    return { ok: !bad, text: out.join('\n') };
  }

  input(input: Json): InputResult {
    if (!isObject(input)) return { ok: false, text: `unknown input: ${JSON.stringify(input)}` };
    if (typeof input.monitor === 'string') return this.monitor(input.monitor);
    if (typeof input.guest === 'string') return this.guestInput(input.guest, input);
    return { ok: false, text: `unknown input: ${JSON.stringify(input)}` };
  }

  private guestInput(what: string, a: Record<string, Json>): InputResult {
    const h = this.host;
    const k = h.kernel;
    const say = (t: string, ok = true): InputResult => {
      h.serial.printk(t);
      return { ok, text: t };
    };
    if (h.vmm.runstate !== 'running' || h.booting) return { ok: false, text: 'the guest is not running yet (finish the boot first)' };
    if (what === 'kexec') {
      h.kexec();
      return { ok: true, text: 'kexec queued' };
    }
    if (what === 'set_memory_decrypted' || what === 'set_memory_encrypted') {
      const gpa = parseU64(a.gpa);
      const n = parseU64(a.npages);
      if (gpa === undefined || n === undefined || gpa % 4096n !== 0n || n === 0n || n > 1n << 20n) return say(`lab: ${what}: bad gpa/npages (-EINVAL)`, false);
      h.queue.push(() => (what === 'set_memory_decrypted' ? k.mem.decrypted(Number(gpa), Number(n)) : k.mem.encrypted(Number(gpa), Number(n))));
      h.queue.drain();
      return say(`lab: ${what}(0x${gpa.toString(16)}, ${n}) done`);
    }
    if (what === 'hypercall') {
      const nr = a.nr === undefined ? BigInt(k.abi.hypercall.nr) : parseU64(a.nr);
      const [a0, a1, a2] = [parseU64(a.a0 ?? 0), parseU64(a.a1 ?? 0), parseU64(a.a2 ?? 0)];
      if (nr === undefined || a0 === undefined || a1 === undefined || a2 === undefined) return say('lab: hypercall: arguments must be u64 numbers or hex strings', false);
      const rax = k.vcpu.vmmcall(nr, a0, a1, a2, 0n, 'guest');
      const name = hypercallRetName(rax);
      return say(`lab: hypercall ${nr} (${hex(a0)}, ${hex(a1)}, ${hex(a2)}) returned ${name}`, rax === 0n);
    }
    if (what === 'wrmsr') {
      const msr = parseU64(a.msr);
      const value = parseU64(a.value ?? 0);
      if (msr === undefined || value === undefined || msr > 0xffffffffn) return say('lab: wrmsr: bad msr/value', false);
      const r = k.vcpu.wrmsr(Number(msr), value, 'guest');
      if (r.gp) return say(`unchecked MSR access error: WRMSR to 0x${msr.toString(16)} (tried to write 0x${value.toString(16).padStart(16, '0')}) at rIP: 0xffffffff81079a34 (native_write_msr+0x4/0x20)`, false);
      return say(`lab: wrmsr 0x${msr.toString(16)} = ${hex(value)} done`);
    }
    return { ok: false, text: `unknown guest input "${what}"` };
  }

  snapshot(): Json {
    return null;
  }

  summary(): Json {
    const h = this.host;
    const v = h.vmm;
    return {
      abi: h.opts.abi,
      runstate: v.runstate,
      sevState: v.sev.state,
      booting: h.booting,
      failed: h.failed ?? null,
      sharedRegions: v.shared.length,
      migration: v.blockers.allowed ? 'allowed' : 'blocked',
      migrationMsr: hex(v.migrationMsr.value),
      touchedPages: h.pageStates.count(PageState.TOUCHED),
      sharedPages: h.pageStates.count(PageState.SHARED),
    };
  }
}

/** The `sev-boot` machine kind. */
export const sevBootMachine: MachineKind = {
  kind: 'sev-boot',
  validate(params, path) {
    parseSevBootParams(params, path);
  },
  create(ctx, params) {
    return new SevBootMachine(ctx, params);
  },
};
