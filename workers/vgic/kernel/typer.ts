/**
 * GICR_TYPER as KVM computes it (reference §7): affinity (63:32), Processor_Number
 * (23:8), Last (4), PLPIS (0). Userspace reads it through GRP_REDIST_REGS at offsets
 * 0x8 (low word) and 0xc (high word).
 */
import { GICR_TYPER, KVM_VGIC_V3_REDIST_SIZE, V3 } from '../uapi.js';
import type { Vcpu, VmState } from './state.js';
import { typerLast } from './v6-fixes.js';

/**
 * `vgic_mmio_vcpu_rdist_is_last` (5.13, after the v5/v6 rework): the vcpu's frame ends a
 * run of used frames. Unplaced → false; a later slot of its region is used → false; it
 * is the region's final slot and some region starting right after it has a vcpu →
 * false; otherwise true (including the legacy region's highest used slot).
 */
export function rdistIsLastByFrame(vm: VmState, vcpu: Vcpu): boolean {
  const r = vcpu.rdreg;
  if (!r) return false;
  if (vcpu.slot < r.freeIndex - 1) return false;
  if (r.count !== 0 && vcpu.slot === r.count - 1) {
    const end = r.base + BigInt(r.count) * KVM_VGIC_V3_REDIST_SIZE;
    return !vm.vgic!.regions.some((other) => other.base === end && other.freeIndex > 0);
  }
  return true;
}

/** `vgic_has_its`: an ITS exists and the vGIC model is V3. */
export function vgicHasIts(vm: VmState): boolean {
  return vm.hasIts && vm.vgic?.model === V3;
}

/** The decoded fields of a GICR_TYPER value. */
export interface GicrTyperFields {
  raw: bigint;
  processorNumber: number;
  /** Aff3.Aff2.Aff1.Aff0 as the 32-bit Affinity_Value field (KVM leaves Aff3 at 0). */
  affinity: number;
  last: boolean;
  plpis: boolean;
}

/** The full 64-bit GICR_TYPER of `vcpu` under the VM's profile. */
export function gicrTyper(vm: VmState, vcpu: Vcpu): bigint {
  let v = (vcpu.mpidr & 0xff_ffffn) << GICR_TYPER.affinityShift;
  v |= BigInt(vcpu.id & 0xffff) << GICR_TYPER.processorNumberShift;
  if (typerLast(vm.profile, vcpu, vm.vcpus.length, () => rdistIsLastByFrame(vm, vcpu))) v |= GICR_TYPER.last;
  if (vgicHasIts(vm)) v |= GICR_TYPER.plpis;
  return v;
}

/** Splits a GICR_TYPER value into its fields. */
export function decodeGicrTyper(raw: bigint): GicrTyperFields {
  return {
    raw,
    processorNumber: Number((raw >> 8n) & 0xffffn),
    affinity: Number(raw >> 32n),
    last: (raw & GICR_TYPER.last) !== 0n,
    plpis: (raw & GICR_TYPER.plpis) !== 0n,
  };
}

/** The MPIDR affinity KVM gives a vcpu at KVM_ARM_VCPU_INIT (`reset_mpidr`, §1). */
export function mpidrForVcpuId(id: number): bigint {
  const aff0 = id & 0xf;
  const aff1 = (id >> 4) & 0xff;
  const aff2 = (id >> 12) & 0xff;
  return BigInt((aff2 << 16) | (aff1 << 8) | aff0);
}
