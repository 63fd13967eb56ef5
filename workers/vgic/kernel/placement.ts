/**
 * Handing out redistributor frames to vcpus (reference §5) and
 * `vgic_v3_set_redist_base` (§3.5): allocate the region, then offer every vcpu a frame.
 *
 * Frames go by region list (= index) order, and within that by vcpu creation order —
 * never by base address or vcpu id.
 */
import { KVM_VGIC_V3_REDIST_SIZE } from '../uapi.js';
import { allocRedistRegion, checkBase, freeSlot } from './rdist-regions.js';
import { OK, fail, type KvmResult } from './result.js';
import type { Vcpu, VmState } from './state.js';
import { dropRegionAfterFailedPlacement } from './v6-fixes.js';

/**
 * `vgic_register_redist_iodev`: gives `vcpu` the next free frame, if it has none and a
 * region has room, after `vgic_v3_check_base` agrees. `vcpu` may still be in creation
 * (not yet in `vm.vcpus`), which is why the legacy size does not count it.
 */
export function registerRedistIodev(vm: VmState, vcpu: Vcpu): KvmResult {
  if (vcpu.rdreg) return OK;
  const vgic = vm.vgic!;
  const region = freeSlot(vgic);
  if (!region) return OK;
  const why = checkBase(vm);
  if (why) return fail('EINVAL', 'check-base', `vCPU ${vcpu.id} cannot be given a redistributor frame: ${why}`);
  vcpu.rdreg = region;
  vcpu.slot = region.freeIndex;
  region.freeIndex++;
  return OK;
}

/**
 * `vgic_register_all_redist_iodevs`: offers a frame to every vcpu in creation order and
 * stops at the first failure. [U] lab choice (§12): vcpus placed earlier keep their
 * frames; the kernel only unregisters their MMIO devices, which no ioctl can observe.
 */
export function registerAllRedistIodevs(vm: VmState): KvmResult {
  for (const vcpu of vm.vcpus) {
    const r = registerRedistIodev(vm, vcpu);
    if (!r.ok) return r;
  }
  return OK;
}

/** `vgic_v3_set_redist_base` (§3.5): index 0 / count 0 is the legacy REDIST attribute. */
export function setRedistBase(vm: VmState, index: number, base: bigint, count: number): KvmResult {
  const err = allocRedistRegion(vm, index, base, count);
  if (err) return err;
  const placed = registerAllRedistIodevs(vm);
  if (placed.ok) return OK;
  const tail = dropRegionAfterFailedPlacement(vm.profile, vm.vgic!, index);
  return { ...placed, message: placed.message + tail };
}

/** The guest-physical base of a placed vcpu's frame. */
export function frameBase(vcpu: Vcpu): bigint | undefined {
  return vcpu.rdreg ? vcpu.rdreg.base + BigInt(vcpu.slot) * KVM_VGIC_V3_REDIST_SIZE : undefined;
}
