/**
 * `kvm_vgic_addr` for the V3 device: GRP_ADDR set and get (reference §3). The caller has
 * already copied the u64 in (EFAULT); an unknown type or one of another model is ENODEV
 * inside the kernel and ENXIO to userspace.
 */
import { ADDR, KVM_VGIC_V3_DIST_SIZE, REDIST_REGION, SZ_64K } from '../uapi.js';
import { hex } from '../u64.js';
import { checkBaseAddress } from './ipa-range.js';
import { setRedistBase } from './placement.js';
import { regionFromIndex } from './rdist-regions.js';
import { OK, fail, okValue, type KvmResult } from './result.js';
import type { VmState } from './state.js';
import { emptyRedistRead, redistRegionReadIndex } from './v6-fixes.js';

/** The fields of a REDIST_REGION value (§1). */
export interface RedistRegionValue {
  index: number;
  flags: number;
  base: bigint;
  count: number;
}

/** Splits a REDIST_REGION value into count / base / flags / index. */
export function decodeRedistRegion(value: bigint): RedistRegionValue {
  return {
    index: Number(value & REDIST_REGION.indexMask),
    flags: Number((value & REDIST_REGION.flagsMask) >> REDIST_REGION.flagsShift),
    base: value & REDIST_REGION.baseMask,
    count: Number((value & REDIST_REGION.countMask) >> REDIST_REGION.countShift),
  };
}

/** Builds a REDIST_REGION value (bits 15:0 of the base are dropped, as the format does). */
export function encodeRedistRegion(r: RedistRegionValue): bigint {
  return (
    ((BigInt(r.count) << REDIST_REGION.countShift) & REDIST_REGION.countMask) |
    (r.base & REDIST_REGION.baseMask) |
    ((BigInt(r.flags) << REDIST_REGION.flagsShift) & REDIST_REGION.flagsMask) |
    (BigInt(r.index) & REDIST_REGION.indexMask)
  );
}

function unknownType(type: bigint): KvmResult {
  const other = type === BigInt(ADDR.V2_DIST) || type === BigInt(ADDR.V2_CPU) ? ' (a GICv2 address type, not valid on a GICv3 device)' : '';
  return fail('ENXIO', 'unknown-addr-type', `address type ${type} is not an address of this device${other}`);
}

/** GRP_ADDR set. */
export function vgicAddrSet(vm: VmState, type: bigint, value: bigint): KvmResult {
  const vgic = vm.vgic!;
  switch (type) {
    case BigInt(ADDR.DIST): {
      const what = 'the distributor';
      const err = checkBaseAddress(vm.profile, { what, current: vgic.distBase, addr: value, align: SZ_64K, size: KVM_VGIC_V3_DIST_SIZE }, vm.ipaBits);
      if (err) return err;
      vgic.distBase = value;
      return OK;
    }
    case BigInt(ADDR.REDIST):
      return setRedistBase(vm, 0, value, 0);
    case BigInt(ADDR.REDIST_REGION): {
      const r = decodeRedistRegion(value);
      if (r.count === 0) {
        return fail('EINVAL', 'region-count-zero', `REDIST_REGION value ${hex(value)} has count 0 (bits 63:52 must give at least one redistributor)`);
      }
      if (r.flags !== 0) {
        return fail('EINVAL', 'region-flags', `REDIST_REGION value ${hex(value)} has flags ${hex(BigInt(r.flags))} (bits 15:12 must be 0)`);
      }
      // The kernel keeps the index in a u8: bits 11:8 are dropped (§1).
      return setRedistBase(vm, r.index & 0xff, r.base, r.count);
    }
    default:
      return unknownType(type);
  }
}

/** GRP_ADDR get; `value` is the buffer's content (a REDIST_REGION read takes its index). */
export function vgicAddrGet(vm: VmState, type: bigint, value: bigint): KvmResult {
  const vgic = vm.vgic!;
  switch (type) {
    case BigInt(ADDR.DIST):
      return okValue(vgic.distBase);
    case BigInt(ADDR.REDIST): {
      const first = vgic.regions[0];
      return okValue(first ? first.base : emptyRedistRead(vm.profile));
    }
    case BigInt(ADDR.REDIST_REGION): {
      const index = redistRegionReadIndex(vm.profile, decodeRedistRegion(value).index & 0xff);
      const r = regionFromIndex(vgic, index);
      if (!r) return fail('ENOENT', 'no-such-region', `no redistributor region has index ${index}`);
      return okValue(encodeRedistRegion({ index, flags: 0, base: r.base, count: r.count }));
    }
    default:
      return unknownType(type);
  }
}
