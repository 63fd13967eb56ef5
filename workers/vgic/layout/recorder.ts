/**
 * Issues the ioctls of a layout on the kernel model and records each one three ways at
 * once: as a {@link LayoutStep} with its result, as a human-readable line, and as a
 * vgic-script v1 step expecting that result — so the exported script replays exactly.
 */
import type { KvmDevice } from '../kernel/device.js';
import { KvmVm } from '../kernel/kvm-vm.js';
import type { KernelProfile } from '../kernel/profiles.js';
import type { KvmResult } from '../kernel/result.js';
import type { VgicStep } from '../script/format.js';
import { ERRNO, KVM_DEV_ARM_VGIC_GRP, KVM_DEV_TYPE, KVM_VGIC_ADDR_TYPE, KVM_DEV_ARM_CTRL } from '../uapi.js';
import { hex, hexAddr } from '../u64.js';
import type { LayoutFailure, LayoutIoctl, LayoutPhase, LayoutStep } from './types.js';

/** The name of a numeric constant in one of the uapi tables, else its number. */
function nameOf(table: Record<string, number>, n: number | bigint): string {
  return Object.keys(table).find((k) => BigInt(table[k]) === BigInt(n)) ?? String(n);
}

/** Where a step is recorded. */
interface StepInfo {
  ioctl: LayoutIoctl;
  phase: LayoutPhase;
  fd: string;
  line: string;
  target?: string;
  script: VgicStep;
}

/** Runs and records one layout's ioctl sequence. */
export class LayoutRecorder {
  readonly steps: LayoutStep[] = [];
  readonly scriptSteps: VgicStep[] = [];
  readonly failures: LayoutFailure[] = [];
  vm?: KvmVm;
  readonly devices = new Map<string, KvmDevice>();

  constructor(readonly profile: KernelProfile) {}

  private record(info: StepInfo, r: KvmResult): KvmResult {
    const index = this.steps.length;
    const { script, ...rest } = info;
    if (r.ok) {
      const value = info.phase === 'read_typer' && r.value !== undefined ? hex(r.value) : undefined;
      this.steps.push({ index, ...rest, result: value === undefined ? { ret: 0 } : { ret: 0, value } });
      this.scriptSteps.push({ ...script, expect: value === undefined ? { ret: 0 } : { ret: 0, value } });
    } else {
      const failure = { errno: r.errno, errnoValue: ERRNO[r.errno], rule: r.rule, explanation: r.message };
      this.steps.push({ index, ...rest, result: failure });
      this.scriptSteps.push({ ...script, expect: { errno: r.errno } });
      this.failures.push({ step: index, ioctl: info.ioctl, phase: info.phase, ...(info.target ? { target: info.target } : {}), ...failure });
    }
    return r;
  }

  createVm(ipaBits: number): boolean {
    const made = KvmVm.create(this.profile, ipaBits);
    this.vm = made.vm;
    const type = ipaBits === 0 ? '0 /* default 40-bit IPA */' : `KVM_VM_TYPE_ARM_IPA_SIZE(${ipaBits})`;
    const script: VgicStep = ipaBits === 0 ? { op: 'create_vm', vm: 'vm' } : { op: 'create_vm', vm: 'vm', ipa_bits: ipaBits };
    return this.record({ ioctl: 'KVM_CREATE_VM', phase: 'create_vm', fd: 'kvm', line: `KVM_CREATE_VM(type=${type})`, script }, made.result).ok;
  }

  createVcpu(id: number): boolean {
    const r = this.vm!.createVcpu(id);
    return this.record({ ioctl: 'KVM_CREATE_VCPU', phase: 'create_vcpu', fd: 'vm', line: `KVM_CREATE_VCPU(${id})`, target: `vcpu:${id}`, script: { op: 'create_vcpu', vm: 'vm', vcpu_id: id } }, r).ok;
  }

  vcpuInit(id: number): boolean {
    const r = this.vm!.vcpuInit(id);
    const line = 'KVM_ARM_VCPU_INIT(target=preferred, features=0)';
    return this.record({ ioctl: 'KVM_ARM_VCPU_INIT', phase: 'vcpu_init', fd: `vcpu${id}`, line, target: `vcpu:${id}`, script: { op: 'vcpu_init', vm: 'vm', vcpu_id: id } }, r).ok;
  }

  createDevice(type: number, dev: string): boolean {
    const out = this.vm!.createDevice(type);
    if (out.device) this.devices.set(dev, out.device);
    const typeName = nameOf(KVM_DEV_TYPE, type);
    const line = `KVM_CREATE_DEVICE(type=${typeName}, flags=0)`;
    return this.record({ ioctl: 'KVM_CREATE_DEVICE', phase: 'create_device', fd: 'vm', line, target: dev, script: { op: 'create_device', vm: 'vm', type: typeName, dev } }, out.result).ok;
  }

  /** KVM_SET_DEVICE_ATTR on GRP_ADDR; `comment` explains an encoded value. */
  setAddr(dev: string, attr: number, value: bigint, target: string, comment = ''): boolean {
    const device = this.devices.get(dev);
    if (!device) return false;
    const group = 'KVM_DEV_ARM_VGIC_GRP_ADDR';
    const attrName = nameOf(KVM_VGIC_ADDR_TYPE, attr);
    const shown = attr === KVM_VGIC_ADDR_TYPE.KVM_VGIC_V3_ADDR_TYPE_REDIST_REGION ? '0x' + value.toString(16).padStart(16, '0') : hexAddr(value);
    const line = `KVM_SET_DEVICE_ATTR(group=${group}, attr=${attrName}, addr=${shown})${comment ? ` /* ${comment} */` : ''}`;
    const script: VgicStep = { op: 'set_attr', dev, group, attr: attrName, value: hex(value) };
    return this.record({ ioctl: 'KVM_SET_DEVICE_ATTR', phase: 'set_attr', fd: dev, line, target, script }, device.setAttr(0, BigInt(attr), value)).ok;
  }

  ctrlInit(): boolean {
    const device = this.devices.get('gic')!;
    const line = 'KVM_SET_DEVICE_ATTR(group=KVM_DEV_ARM_VGIC_GRP_CTRL, attr=KVM_DEV_ARM_VGIC_CTRL_INIT, addr=NULL)';
    const script: VgicStep = { op: 'set_attr', dev: 'gic', group: 'KVM_DEV_ARM_VGIC_GRP_CTRL', attr: 'KVM_DEV_ARM_VGIC_CTRL_INIT' };
    const r = device.setAttr(KVM_DEV_ARM_VGIC_GRP.KVM_DEV_ARM_VGIC_GRP_CTRL, BigInt(KVM_DEV_ARM_CTRL.KVM_DEV_ARM_VGIC_CTRL_INIT), null);
    return this.record({ ioctl: 'KVM_SET_DEVICE_ATTR', phase: 'ctrl_init', fd: 'gic', line, script }, r).ok;
  }

  run(id: number): boolean {
    const r = this.vm!.run(id);
    return this.record({ ioctl: 'KVM_RUN', phase: 'run', fd: `vcpu${id}`, line: 'KVM_RUN()', target: `vcpu:${id}`, script: { op: 'run', vm: 'vm', vcpu_id: id } }, r).ok;
  }

  /** Reads the low word of GICR_TYPER of `id` through GRP_REDIST_REGS, as a step. */
  readTyperLow(id: number, mpidr: bigint): void {
    const device = this.devices.get('gic')!;
    const attr = (mpidr << 32n) | 0x8n;
    const group = 'KVM_DEV_ARM_VGIC_GRP_REDIST_REGS';
    const line = `KVM_GET_DEVICE_ATTR(group=${group}, attr=0x${attr.toString(16).padStart(16, '0')}) /* GICR_TYPER[31:0] of vCPU ${id} */`;
    const script: VgicStep = { op: 'get_attr', dev: 'gic', group, attr: { mpidr: hex(mpidr), offset: '0x8' } };
    this.record({ ioctl: 'KVM_GET_DEVICE_ATTR', phase: 'read_typer', fd: 'gic', line, target: `vcpu:${id}`, script }, device.getAttr(KVM_DEV_ARM_VGIC_GRP.KVM_DEV_ARM_VGIC_GRP_REDIST_REGS, attr, 0n));
  }
}
