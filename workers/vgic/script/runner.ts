/**
 * The vgic-script v1 runner (reference §11): JSON in, JSON out, no Node APIs. Each step
 * is one ioctl on the kernel model; `vm` and `dev` names stand for file descriptors.
 * A step the runner cannot perform (unknown op, handle, name, a value that does not fit)
 * ends the script with `{"error": …}`; a document that is not vgic-script v1 gives a
 * top-level `error` and no steps.
 */
import { VirtualClock, NS } from '../../core/clock.js';
import { DocumentError, checkHeader, isObject, pathJoin } from '../../core/documents.js';
import { EventLog } from '../../core/event-log.js';
import type { Json } from '../../core/events.js';
import type { KvmDevice } from '../kernel/device.js';
import { KvmVm } from '../kernel/kvm-vm.js';
import { DEFAULT_PROFILE, isKernelProfile, type KernelProfile } from '../kernel/profiles.js';
import type { KvmResult } from '../kernel/result.js';
import { KVM_CREATE_DEVICE_TEST } from '../uapi.js';
import { hex } from '../u64.js';
import {
  FIELD_NAMES,
  VGIC_RESULT_FORMAT,
  VGIC_SCRIPT_FORMAT,
  VGIC_SCRIPT_VERSION,
  readAttr,
  readBuffer,
  readExpect,
  readHandle,
  readNumber,
  type VgicResult,
  type VgicStepResult,
} from './format.js';

declare module '../../core/events.js' {
  interface EventKinds {
    /** One ioctl of a vgic-script and the kernel's answer. */
    'vgic.ioctl': { step: number; op: string; args: Record<string, string | number | boolean | null>; result: VgicStepResult };
  }
}

/** Options of {@link runVgicScript}. */
export interface RunVgicOptions {
  /** The path to report in the result's `file` (default `<script>`). */
  file?: string;
  /** Add the run's event log to the result (`events`). */
  events?: boolean;
}

interface OpenDevice {
  device: KvmDevice;
  vm: string;
}

/** One script run: the open VMs and devices by name. */
class ScriptRun {
  readonly vms = new Map<string, KvmVm>();
  readonly devs = new Map<string, OpenDevice>();
  args: Record<string, string | number | boolean | null> = {};

  constructor(readonly profile: KernelProfile) {}

  vm(step: Record<string, Json>, path: string): KvmVm {
    const name = readHandle(step, 'vm', path);
    const vm = this.vms.get(name);
    if (!vm) throw new DocumentError(pathJoin(path, 'vm'), `unknown or closed vm handle "${name}"`);
    this.args.vm = name;
    return vm;
  }

  dev(step: Record<string, Json>, path: string): KvmDevice {
    const name = readHandle(step, 'dev', path);
    const d = this.devs.get(name);
    if (!d) throw new DocumentError(pathJoin(path, 'dev'), `unknown or closed device handle "${name}"`);
    this.args.dev = name;
    return d.device;
  }

  vcpuId(step: Record<string, Json>, path: string, vm: KvmVm | undefined): number {
    const id = Number(readNumber(step.vcpu_id, pathJoin(path, 'vcpu_id'), FIELD_NAMES.none, 0xffff_ffffn, 'a vCPU id'));
    if (vm && !vm.vcpu(id)) throw new DocumentError(pathJoin(path, 'vcpu_id'), `vCPU ${id} was never created in this vm`);
    this.args.vcpu_id = id;
    return id;
  }

  /** Performs one step; returns the kernel's answer (or throws a DocumentError). */
  step(step: Record<string, Json>, path: string): KvmResult {
    const op = step.op;
    switch (op) {
      case 'create_vm': {
        const name = readHandle(step, 'vm', path);
        if (this.vms.has(name)) throw new DocumentError(pathJoin(path, 'vm'), `vm handle "${name}" is already open`);
        const bits = step.ipa_bits === undefined ? 0 : Number(readNumber(step.ipa_bits, pathJoin(path, 'ipa_bits'), FIELD_NAMES.none, 255n));
        this.args = { vm: name, ipa_bits: bits };
        const made = KvmVm.create(this.profile, bits);
        if (made.vm) this.vms.set(name, made.vm);
        return made.result;
      }
      case 'create_vcpu': {
        const vm = this.vm(step, path);
        return vm.createVcpu(this.vcpuId(step, path, undefined));
      }
      case 'vcpu_init': {
        const vm = this.vm(step, path);
        return vm.vcpuInit(this.vcpuId(step, path, vm));
      }
      case 'run': {
        const vm = this.vm(step, path);
        return vm.run(this.vcpuId(step, path, vm));
      }
      case 'create_device':
        return this.createDevice(step, path);
      case 'set_attr':
      case 'get_attr':
      case 'has_attr': {
        const dev = this.dev(step, path);
        const group = readNumber(step.group, pathJoin(path, 'group'), FIELD_NAMES.group, 0xffff_ffffn, 'a group name');
        const attr = readAttr(step, group, path);
        this.args.group = Number(group);
        this.args.attr = hex(attr);
        if (op === 'has_attr') return dev.hasAttr(Number(group), attr);
        const buf = readBuffer(step, path);
        this.args.value = buf === null ? null : hex(buf);
        return op === 'set_attr' ? dev.setAttr(Number(group), attr, buf) : dev.getAttr(Number(group), attr, buf);
      }
      case 'close_device': {
        this.dev(step, path);
        this.devs.delete(this.args.dev as string);
        return { ok: true };
      }
      case 'close_vm': {
        this.vm(step, path);
        const name = this.args.vm as string;
        this.vms.delete(name);
        for (const [d, open] of this.devs) if (open.vm === name) this.devs.delete(d);
        return { ok: true };
      }
      default:
        throw new DocumentError(pathJoin(path, 'op'), op === undefined ? 'missing' : `unknown op ${JSON.stringify(op)}`);
    }
  }

  private createDevice(step: Record<string, Json>, path: string): KvmResult {
    const vmName = readHandle(step, 'vm', path);
    const vm = this.vm(step, path);
    const type = readNumber(step.type, pathJoin(path, 'type'), FIELD_NAMES.type, 0xffff_ffffn, 'a device type name');
    if (step.test !== undefined && typeof step.test !== 'boolean') throw new DocumentError(pathJoin(path, 'test'), 'expected true or false');
    const test = step.test === true;
    const name = test ? undefined : readHandle(step, 'dev', path);
    if (name !== undefined && this.devs.has(name)) throw new DocumentError(pathJoin(path, 'dev'), `device handle "${name}" is already open`);
    this.args = { vm: vmName, type: Number(type), test, ...(name === undefined ? {} : { dev: name }) };
    const out = vm.createDevice(Number(type), test ? KVM_CREATE_DEVICE_TEST : 0);
    if (out.device && name !== undefined) this.devs.set(name, { device: out.device, vm: vmName });
    return out.result;
  }
}

/** The §11.4 form of a kernel answer; `value` only for get_attr. */
function toStepResult(op: Json | undefined, r: KvmResult): VgicStepResult {
  if (!r.ok) return { errno: r.errno, why: r.message };
  return op === 'get_attr' && r.value !== undefined ? { ret: 0, value: hex(r.value) } : { ret: 0 };
}

/** Reads the header and kernel of a script; throws a DocumentError when it is not v1. */
export function readScriptHeader(script: unknown): { profile: KernelProfile; steps: Json[] } {
  const doc = checkHeader(script, VGIC_SCRIPT_FORMAT, VGIC_SCRIPT_VERSION);
  const kernel = doc.kernel ?? DEFAULT_PROFILE;
  if (!isKernelProfile(kernel)) throw new DocumentError('kernel', `expected "5.12", "5.13" or "5.16", found ${JSON.stringify(kernel)}`);
  if (!Array.isArray(doc.steps)) throw new DocumentError('steps', 'expected an array of steps');
  return { profile: kernel, steps: doc.steps };
}

/**
 * Runs a vgic-script v1 document (already parsed from JSON) and returns the §11.4 result.
 * Never throws: problems become `error` entries.
 */
export function runVgicScript(script: unknown, opts: RunVgicOptions = {}): VgicResult {
  const file = opts.file ?? '<script>';
  let header: { profile: KernelProfile; steps: Json[] };
  try {
    header = readScriptHeader(script);
  } catch (err) {
    return { format: VGIC_RESULT_FORMAT, version: 1, file, error: errorText(err), steps: [] };
  }
  const clock = new VirtualClock();
  const log = opts.events ? new EventLog(clock) : undefined;
  const run = new ScriptRun(header.profile);
  const steps: VgicStepResult[] = [];
  for (const [i, raw] of header.steps.entries()) {
    const path = pathJoin('steps', i);
    let result: VgicStepResult;
    try {
      if (!isObject(raw)) throw new DocumentError(path, 'expected a step object');
      readExpect(raw.expect, pathJoin(path, 'expect'));
      run.args = {};
      result = toStepResult(raw.op, run.step(raw, path));
    } catch (err) {
      result = { error: errorText(err) };
    }
    steps.push(result);
    const op = isObject(raw) && typeof raw.op === 'string' ? raw.op : '?';
    log?.append({ host: 'lab', component: 'kvm', kind: 'vgic.ioctl', payload: { step: i, op, args: run.args, result } });
    clock.advance(NS.us); // [U] lab choice: one virtual microsecond per ioctl
    if ('error' in result) break;
  }
  const out: VgicResult = { format: VGIC_RESULT_FORMAT, version: 1, file, kernel: header.profile, steps };
  if (log) out.events = log.slice() as unknown as Json[];
  return out;
}

function errorText(err: unknown): string {
  if (err instanceof DocumentError) return err.message;
  return `internal error: ${err instanceof Error ? err.message : String(err)}`;
}

