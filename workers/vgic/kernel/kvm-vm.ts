/**
 * One arm64 VM as userspace drives it: KVM_CREATE_VM with an IPA size, KVM_CREATE_VCPU,
 * KVM_ARM_VCPU_INIT, KVM_CREATE_DEVICE and KVM_RUN (reference §1, §2, §6, §10). Device
 * fds are {@link KvmDevice}s. Every method returns the kernel's answer and never throws.
 */
import { HOST, ITS, KVM_CREATE_DEVICE_TEST, KVM_MAX_VCPUS, V3 } from '../uapi.js';
import type { KvmDevice } from './device.js';
import { vgicItsDevice } from './its-device.js';
import { kvmVgicCreate, mapResources } from './lifecycle.js';
import { registerRedistIodev } from './placement.js';
import { OK, fail, type KvmResult } from './result.js';
import type { KernelProfile } from './profiles.js';
import type { Vcpu, VmState } from './state.js';
import { mpidrForVcpuId } from './typer.js';
import { vgicV3Device } from './vgic-v3-device.js';

/** The outcome of KVM_CREATE_DEVICE: the new device unless it failed or was a TEST. */
export interface CreateDeviceOutcome {
  result: KvmResult;
  device?: KvmDevice;
}

/** A VM made by {@link KvmVm.create}. */
export class KvmVm {
  private constructor(readonly state: VmState) {}

  /**
   * KVM_CREATE_VM with type `KVM_VM_TYPE_ARM_IPA_SIZE(ipaBits)`: 0 asks for the default
   * 40 bits; otherwise 32 ≤ n ≤ the host's 48, else EINVAL.
   */
  static create(profile: KernelProfile, ipaBits = 0): { result: KvmResult; vm?: KvmVm } {
    const bits = ipaBits === 0 ? HOST.defaultIpaBits : ipaBits;
    if (!Number.isInteger(bits) || bits < HOST.minIpaBits || bits > HOST.kvmIpaLimit) {
      return { result: fail('EINVAL', 'ipa-size', `an IPA size of ${ipaBits} bits is outside ${HOST.minIpaBits}..${HOST.kvmIpaLimit} (KVM_CAP_ARM_VM_IPA_SIZE)`) };
    }
    return { result: OK, vm: new KvmVm({ profile, ipaBits: bits, vcpus: [], vgic: null, hasIts: false }) };
  }

  /** The vcpu with this id, if created. */
  vcpu(id: number): Vcpu | undefined {
    return this.state.vcpus.find((v) => v.id === id);
  }

  /**
   * KVM_CREATE_VCPU (§2): id range, vGIC already initialized (EBUSY), placement in a
   * redistributor frame when a V3 vGIC has room (EINVAL if the layout check fails), then
   * the duplicate-id test. [U] lab choice (§12): a duplicate id takes a frame slot before
   * its EEXIST, as the kernel does, leaving that frame unused.
   */
  createVcpu(id: number): KvmResult {
    const vm = this.state;
    if (!Number.isInteger(id) || id < 0 || id >= KVM_MAX_VCPUS) {
      return fail('EINVAL', 'vcpu-id-range', `vCPU id ${id} is not below ${KVM_MAX_VCPUS} (KVM_MAX_VCPUS)`);
    }
    if (vm.vcpus.length >= KVM_MAX_VCPUS) return fail('EINVAL', 'too-many-vcpus', `the VM already has ${KVM_MAX_VCPUS} vCPUs`);
    if (vm.vgic?.initialized) {
      return fail('EBUSY', 'vgic-initialized', 'the vGIC is already initialized (CTRL_INIT): no vCPU can be added');
    }
    const vcpu: Vcpu = { id, mpidr: 0n, initialized: false, hasRunOnce: false, rdreg: null, slot: 0 };
    if (vm.vgic?.model === V3) {
      const placed = registerRedistIodev(vm, vcpu);
      if (!placed.ok) return placed;
    }
    if (this.vcpu(id)) return fail('EEXIST', 'vcpu-exists', `vCPU ${id} already exists`);
    vm.vcpus.push(vcpu);
    return OK;
  }

  /** KVM_ARM_VCPU_INIT with the preferred target and no features: sets the MPIDR. */
  vcpuInit(id: number): KvmResult {
    const vcpu = this.vcpu(id);
    if (!vcpu) return fail('EINVAL', 'no-such-vcpu', `vCPU ${id} does not exist`);
    vcpu.mpidr = mpidrForVcpuId(id);
    vcpu.initialized = true;
    return OK;
  }

  /**
   * KVM_RUN (§6): ENOEXEC before KVM_ARM_VCPU_INIT; the first run marks the vcpu as having
   * run, then maps the vGIC's resources (once per VM). The lab's guest exits to userspace
   * at once, so a run that gets through returns 0. [U] lab choice (§9.2, §12): a later
   * run of the same vcpu repeats no check and returns 0.
   */
  run(id: number): KvmResult {
    const vcpu = this.vcpu(id);
    if (!vcpu) return fail('EINVAL', 'no-such-vcpu', `vCPU ${id} does not exist`);
    if (!vcpu.initialized) return fail('ENOEXEC', 'vcpu-not-initialized', `vCPU ${id} never got KVM_ARM_VCPU_INIT`);
    if (vcpu.hasRunOnce) return OK;
    vcpu.hasRunOnce = true;
    return this.state.vgic ? mapResources(this.state) : OK;
  }

  /**
   * KVM_CREATE_DEVICE (§2): unknown types — including V2, which the lab's host cannot
   * emulate — are ENODEV; the TEST flag then succeeds without creating anything.
   */
  createDevice(type: number, flags = 0): CreateDeviceOutcome {
    if (type !== V3 && type !== ITS) {
      const why = type === 5 ? 'the lab host cannot emulate a GICv2' : `no device type ${type} is registered`;
      return { result: fail('ENODEV', 'no-device-type', why) };
    }
    if (flags & KVM_CREATE_DEVICE_TEST) return { result: OK };
    if (type === ITS) return { result: OK, device: vgicItsDevice(this.state) };
    const created = kvmVgicCreate(this.state, V3);
    return created.ok ? { result: OK, device: vgicV3Device(this.state) } : { result: created };
  }
}
