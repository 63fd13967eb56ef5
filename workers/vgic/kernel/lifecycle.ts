/**
 * The vGIC's life: creation by KVM_CREATE_DEVICE (`kvm_vgic_create`, reference §2),
 * CTRL_INIT (`vgic_init`, §4), resource mapping at the first KVM_RUN
 * (`vgic_v3_map_resources`, §6) and the teardown a failed mapping triggers
 * (`__kvm_vgic_destroy`).
 */
import { VGIC_ADDR_UNDEF, VGIC_NR_IRQS_LEGACY, VGIC_NR_PRIVATE_IRQS, VGIC_V3_MAX_CPUS } from '../uapi.js';
import { checkBase, freeSlot } from './rdist-regions.js';
import { OK, fail, type KvmResult } from './result.js';
import type { VmState } from './state.js';
import { distBaseAfterDestroy } from './v6-fixes.js';

/**
 * `kvm_vgic_create` for the V3 model, after the generic TEST-flag shortcut (§2 rows 3–7).
 * Row 5 (a vcpu mutex held by a running vcpu) cannot happen between two script steps.
 */
export function kvmVgicCreate(vm: VmState, model: number): KvmResult {
  if (vm.vgic) return fail('EEXIST', 'vgic-exists', 'the VM already has a vGIC (only one per VM)');
  const ran = vm.vcpus.find((v) => v.hasRunOnce);
  if (ran) return fail('EBUSY', 'vcpu-has-run', `vCPU ${ran.id} has already run; a vGIC must be created before any KVM_RUN`);
  if (vm.vcpus.length > VGIC_V3_MAX_CPUS) {
    return fail('E2BIG', 'too-many-vcpus', `${vm.vcpus.length} vCPUs exist, more than the ${VGIC_V3_MAX_CPUS} a GICv3 model allows`);
  }
  vm.vgic = { model, distBase: VGIC_ADDR_UNDEF, regions: [], nrSpis: 0, initialized: false, ready: false };
  return OK;
}

/**
 * `vgic_init` (CTRL_INIT): needs no addresses; picks 224 SPIs when NR_IRQS was never
 * set. Its EBUSY for a half-created vcpu cannot happen between two script steps.
 */
export function vgicInit(vm: VmState): KvmResult {
  const vgic = vm.vgic!;
  if (vgic.initialized) return OK;
  if (vgic.nrSpis === 0) vgic.nrSpis = VGIC_NR_IRQS_LEGACY - VGIC_NR_PRIVATE_IRQS;
  vgic.initialized = true;
  return OK;
}

/**
 * `vgic_v3_map_resources` (§6), run once per VM by the first KVM_RUN that gets that far:
 * every vcpu has a frame (ENXIO), the DIST base is set (ENXIO), `vgic_v3_check_base`
 * holds with the legacy region sized for all vcpus (EINVAL), CTRL_INIT was done (EBUSY).
 * Any failure tears the vGIC down.
 */
export function mapResources(vm: VmState): KvmResult {
  const vgic = vm.vgic!;
  if (vgic.ready) return OK;
  const result = mapChecks(vm);
  if (result.ok) vgic.ready = true;
  else destroyVgic(vm);
  return result;
}

function mapChecks(vm: VmState): KvmResult {
  const vgic = vm.vgic!;
  const unplaced = vm.vcpus.find((v) => !v.rdreg);
  if (unplaced) {
    const why =
      vgic.regions.length === 0
        ? 'no redistributor region is set'
        : freeSlot(vgic)
          ? 'its placement was refused (the layout check failed when a frame was free)'
          : 'the redistributor regions have no free frame left';
    return fail('ENXIO', 'vcpu-without-frame', `vCPU ${unplaced.id} has no redistributor frame: ${why}`);
  }
  if (vgic.distBase === VGIC_ADDR_UNDEF) return fail('ENXIO', 'dist-unset', 'the distributor base address was never set');
  const why = checkBase(vm);
  if (why) return fail('EINVAL', 'check-base', why);
  if (!vgic.initialized) return fail('EBUSY', 'not-initialized', 'KVM_DEV_ARM_VGIC_CTRL_INIT was never done (a GICv3 has no lazy init)');
  return OK;
}

/**
 * `__kvm_vgic_destroy` after a failed mapping: vcpus lose their frames, regions are
 * freed, NR_IRQS and CTRL_INIT are forgotten, the DIST base resets (patch 4; 5.12 keeps
 * it). The model and the has-ITS flag stay. [U] lab choice (§12): an unplaced vcpu's
 * TYPER later reads with Last = 0.
 */
export function destroyVgic(vm: VmState): void {
  const vgic = vm.vgic!;
  for (const v of vm.vcpus) {
    v.rdreg = null;
    v.slot = 0;
  }
  vgic.regions = [];
  vgic.nrSpis = 0;
  vgic.initialized = false;
  vgic.ready = false;
  vgic.distBase = distBaseAfterDestroy(vm.profile, vgic.distBase);
}
