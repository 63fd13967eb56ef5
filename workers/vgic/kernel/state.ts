/**
 * The kernel state the vGIC ABI touches (reference §2–§7), as plain data so tests and
 * the layout API can look at it. Field names follow the kernel structures they stand
 * for (`struct vgic_redist_region`, `struct vgic_dist`, `struct vgic_cpu`).
 */
import type { KernelProfile } from './profiles.js';

/** `struct vgic_redist_region`: one redistributor region in the VM's list. */
export interface RdistRegion {
  /** Region index (the kernel keeps it in a u8). */
  index: number;
  base: bigint;
  /** Redistributors in the region; 0 = the legacy region, sized by the online vcpus. */
  count: number;
  /** `free_index`: the next slot to hand out. */
  freeIndex: number;
}

/** A vcpu as the vGIC sees it. */
export interface Vcpu {
  id: number;
  /** MPIDR affinity bits (Aff3 at 39:32, Aff2..Aff0 at 23:0); 0 until KVM_ARM_VCPU_INIT. */
  mpidr: bigint;
  /** KVM_ARM_VCPU_INIT was done. */
  initialized: boolean;
  /** `has_run_once`: the first KVM_RUN got past its checks' start (§6). */
  hasRunOnce: boolean;
  /** `vgic_cpu->rdreg`: the region holding this vcpu's frame, or null when unplaced. */
  rdreg: RdistRegion | null;
  /** `vgic_cpu->rdreg_index`: the slot inside `rdreg`. */
  slot: number;
}

/** `struct vgic_dist`, the parts the lab models. */
export interface VgicDist {
  /** `vgic_model`: KVM_DEV_TYPE_ARM_VGIC_V3 (V2 cannot be created on the lab's host). */
  model: number;
  distBase: bigint;
  /** `rd_regions`: in list order = index order = registration order. */
  regions: RdistRegion[];
  /** `nr_spis`: 0 = never set. */
  nrSpis: number;
  /** CTRL_INIT done (`vgic_initialized`). */
  initialized: boolean;
  /** Resources mapped by a first KVM_RUN (`vgic_ready`). */
  ready: boolean;
}

/** One ITS device. */
export interface ItsState {
  base: bigint;
}

/** One VM (`struct kvm`, the vGIC-relevant part). */
export interface VmState {
  profile: KernelProfile;
  ipaBits: number;
  /** vcpus in creation order (`kvm_for_each_vcpu` order); length = online vcpus. */
  vcpus: Vcpu[];
  /** The in-kernel vGIC, once KVM_CREATE_DEVICE made one. */
  vgic: VgicDist | null;
  /** Set when an ITS device was created (`has_its`). */
  hasIts: boolean;
}
