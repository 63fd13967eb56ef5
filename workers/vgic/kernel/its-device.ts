/**
 * The KVM_DEV_TYPE_ARM_VGIC_ITS device, as far as the lab needs it (reference §2, §4):
 * creating one sets the VM's has-ITS flag (GICR_TYPER.PLPIS); its GRP_ADDR places the
 * 128 KiB ITS frame. Unknown address types are ENODEV here (not mapped to ENXIO).
 *
 * [U] lab choice: GRP_ITS_REGS is not modelled (ENXIO); GRP_CTRL set accepts any
 * attribute and does nothing, as `vgic_its_ctrl` does with no tables configured [I].
 */
import { ADDR, GRP, ITS, KVM_DEV_ARM_CTRL, KVM_VGIC_V3_ITS_SIZE, SZ_64K, VGIC_ADDR_UNDEF } from '../uapi.js';
import { hex } from '../u64.js';
import type { KvmDevice } from './device.js';
import { checkBaseAddress } from './ipa-range.js';
import { OK, fail, okValue, type KvmResult } from './result.js';
import type { ItsState, VmState } from './state.js';

const ITS_CTRL_ATTRS: readonly bigint[] = [
  KVM_DEV_ARM_CTRL.KVM_DEV_ARM_VGIC_CTRL_INIT,
  KVM_DEV_ARM_CTRL.KVM_DEV_ARM_ITS_CTRL_RESET,
  KVM_DEV_ARM_CTRL.KVM_DEV_ARM_ITS_SAVE_TABLES,
  KVM_DEV_ARM_CTRL.KVM_DEV_ARM_ITS_RESTORE_TABLES,
].map(BigInt);

const enxio = (group: number, attr: bigint): KvmResult => fail('ENXIO', 'unknown-attr', `group ${group} attribute ${hex(attr)} is not supported by the ITS device`);
const wrongType = (attr: bigint): KvmResult => fail('ENODEV', 'unknown-addr-type', `address type ${attr} is not the ITS address type (4)`);

/** A new ITS device of `vm`; marks the VM as having an ITS. */
export function vgicItsDevice(vm: VmState): KvmDevice & { readonly its: ItsState } {
  vm.hasIts = true;
  const its: ItsState = { base: VGIC_ADDR_UNDEF };
  return {
    type: ITS,
    its,
    setAttr(group, attr, buf) {
      if (group === GRP.ADDR) {
        if (attr !== BigInt(ADDR.ITS)) return wrongType(attr);
        if (buf === null) return fail('EFAULT', 'efault', 'kvm_device_attr.addr is a NULL pointer');
        const r = { what: 'the ITS', current: its.base, addr: buf, align: SZ_64K, size: KVM_VGIC_V3_ITS_SIZE };
        const err = checkBaseAddress(vm.profile, r, vm.ipaBits);
        if (err) return err;
        its.base = buf;
        return OK;
      }
      if (group === GRP.CTRL) return OK;
      return enxio(group, attr);
    },
    getAttr(group, attr, buf) {
      if (group === GRP.ADDR) {
        if (attr !== BigInt(ADDR.ITS)) return wrongType(attr);
        return buf === null ? fail('EFAULT', 'efault', 'kvm_device_attr.addr is a NULL pointer') : okValue(its.base);
      }
      return enxio(group, attr);
    },
    hasAttr(group, attr) {
      if (group === GRP.ADDR && attr === BigInt(ADDR.ITS)) return OK;
      if (group === GRP.CTRL && ITS_CTRL_ATTRS.includes(attr)) return OK;
      return enxio(group, attr);
    },
  };
}
