/**
 * The KVM_DEV_TYPE_ARM_VGIC_V3 device's attribute ioctls (reference §3, §4):
 * `vgic_v3_set_attr` / `vgic_v3_get_attr` / `vgic_v3_has_attr` with the common part
 * (`vgic_set_common_attr`) first, checks in the kernel's order.
 */
import { CTRL_INIT, GRP, SAVE_PENDING_TABLES, VGIC_MAX_RESERVED, VGIC_NR_PRIVATE_IRQS, V3 } from '../uapi.js';
import { hex } from '../u64.js';
import type { KvmDevice } from './device.js';
import { vgicInit } from './lifecycle.js';
import { hasRegister, uaccessRead, type RegisterFrame } from './registers.js';
import { OK, fail, okValue, type KvmErr, type KvmResult } from './result.js';
import type { Vcpu, VmState } from './state.js';
import { vgicAddrGet, vgicAddrSet } from './vgic-addr.js';

const EFAULT = (): KvmErr => fail('EFAULT', 'efault', 'kvm_device_attr.addr is a NULL pointer: the kernel cannot copy the value');
const ENXIO = (group: number, attr: bigint): KvmErr => fail('ENXIO', 'unknown-attr', `group ${group} attribute ${hex(attr)} is not supported by the GICv3 device`);
const LOW32 = 0xffff_ffffn;

/**
 * `vgic_v3_parse_attr`: the vcpu a register attribute names. REDIST/CPU_SYSREGS/LEVEL_INFO
 * give an affinity in bits 63:32 (matched against MPIDRs in creation order); DIST_REGS
 * always uses the first vcpu created.
 */
function findVcpu(vm: VmState, group: number, attr: bigint): Vcpu | KvmErr {
  let vcpu: Vcpu | undefined;
  let what: string;
  if (group === GRP.DIST_REGS) {
    vcpu = vm.vcpus[0];
    what = 'the VM has no vCPU (DIST_REGS accesses go through the first vCPU)';
  } else {
    const aff = (attr >> 32n) & LOW32;
    const mpidr = (aff & 0xff_ffffn) | (((aff >> 24n) & 0xffn) << 32n);
    vcpu = vm.vcpus.find((v) => v.mpidr === mpidr);
    what = `no vCPU has MPIDR affinity ${hex(aff)}`;
  }
  return vcpu ?? fail('EINVAL', 'no-vcpu-for-mpidr', what);
}

/** `vgic_v3_attr_regs_access`: lookup, CTRL_INIT done, then the access itself. */
function regsAccess(vm: VmState, group: number, attr: bigint): KvmResult {
  const vcpu = findVcpu(vm, group, attr);
  if ('errno' in vcpu) return vcpu;
  if (!vm.vgic!.initialized) return fail('EBUSY', 'not-initialized', 'register accesses need KVM_DEV_ARM_VGIC_CTRL_INIT first');
  const offset = Number(attr & LOW32);
  switch (group) {
    case GRP.DIST_REGS:
    case GRP.REDIST_REGS: {
      const frame: RegisterFrame = group === GRP.DIST_REGS ? 'dist' : 'redist';
      return okValue(uaccessRead(vm, frame, vcpu, offset));
    }
    case GRP.LEVEL_INFO: {
      if (((attr >> 10n) & 0x3f_ffffn) !== 0n) return fail('EINVAL', 'level-info-type', 'only VGIC_LEVEL_INFO_LINE_LEVEL (0) is defined');
      if ((attr & 0x3ffn) % 32n !== 0n) return fail('EINVAL', 'level-info-intid', 'the interrupt id must be a multiple of 32');
      return okValue(0n); // [U] no line is ever asserted in the lab
    }
    default:
      // [U] lab choice: no ICC system register is modelled.
      return fail('ENXIO', 'sysreg-not-modelled', 'the lab models no GICv3 CPU interface system register');
  }
}

/** The GICv3 device of `vm`. */
export function vgicV3Device(vm: VmState): KvmDevice {
  return {
    type: V3,
    setAttr(group, attr, buf) {
      switch (group) {
        case GRP.ADDR:
          return buf === null ? EFAULT() : vgicAddrSet(vm, attr, buf);
        case GRP.NR_IRQS: {
          if (buf === null) return EFAULT();
          const val = Number(buf & LOW32);
          if (val < VGIC_NR_PRIVATE_IRQS + 32 || val > VGIC_MAX_RESERVED || val % 32 !== 0) {
            return fail('EINVAL', 'nr-irqs-range', `NR_IRQS ${val} must be a multiple of 32 between 64 and 1023`);
          }
          const vgic = vm.vgic!;
          if (vgic.ready || vgic.nrSpis !== 0) return fail('EBUSY', 'nr-irqs-busy', 'the number of interrupts is already fixed');
          vgic.nrSpis = val - VGIC_NR_PRIVATE_IRQS;
          return OK;
        }
        case GRP.CTRL:
          if (attr === BigInt(CTRL_INIT)) return vgicInit(vm);
          if (attr === BigInt(SAVE_PENDING_TABLES)) return OK; // [U] no LPI is ever pending in the lab
          return ENXIO(group, attr);
        case GRP.DIST_REGS:
        case GRP.REDIST_REGS:
        case GRP.CPU_SYSREGS:
        case GRP.LEVEL_INFO: {
          if (buf === null) return EFAULT();
          const r = regsAccess(vm, group, attr);
          return r.ok ? OK : r; // [U] writes are accepted and ignored
        }
        default:
          return ENXIO(group, attr);
      }
    },
    getAttr(group, attr, buf) {
      switch (group) {
        case GRP.ADDR:
          return buf === null ? EFAULT() : vgicAddrGet(vm, attr, buf);
        case GRP.NR_IRQS:
          return buf === null ? EFAULT() : okValue(BigInt(vm.vgic!.nrSpis + VGIC_NR_PRIVATE_IRQS));
        case GRP.DIST_REGS:
        case GRP.REDIST_REGS:
        case GRP.CPU_SYSREGS:
        case GRP.LEVEL_INFO: {
          const r = regsAccess(vm, group, attr);
          if (!r.ok) return r;
          return buf === null ? EFAULT() : r;
        }
        default:
          return ENXIO(group, attr);
      }
    },
    hasAttr(group, attr) {
      switch (group) {
        case GRP.ADDR:
          return attr === 2n || attr === 3n || attr === 5n ? OK : ENXIO(group, attr);
        case GRP.DIST_REGS:
        case GRP.REDIST_REGS:
        case GRP.CPU_SYSREGS: {
          const vcpu = findVcpu(vm, group, attr);
          if ('errno' in vcpu) return vcpu;
          if (group === GRP.CPU_SYSREGS) return fail('ENXIO', 'sysreg-not-modelled', 'the lab models no GICv3 CPU interface system register');
          const frame: RegisterFrame = group === GRP.DIST_REGS ? 'dist' : 'redist';
          return hasRegister(vm, frame, Number(attr & LOW32)) ? OK : fail('ENXIO', 'no-register', `no ${frame === 'dist' ? 'distributor' : 'redistributor'} register at offset ${hex(attr & LOW32)}`);
        }
        case GRP.NR_IRQS:
          return OK;
        case GRP.LEVEL_INFO:
          return ((attr >> 10n) & 0x3f_ffffn) === 0n ? OK : ENXIO(group, attr);
        case GRP.CTRL:
          return attr === BigInt(CTRL_INIT) || attr === BigInt(SAVE_PENDING_TABLES) ? OK : ENXIO(group, attr);
        default:
          return ENXIO(group, attr);
      }
    },
  };
}
