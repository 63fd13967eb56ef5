/**
 * The redistributor region list: sizes, overlaps, the first region with a free frame,
 * `vgic_v3_check_base`, and `vgic_v3_alloc_redist_region` with its checks in the
 * kernel's order (reference §3.5, §5).
 */
import { KVM_VGIC_V3_DIST_SIZE, KVM_VGIC_V3_REDIST_SIZE, SZ_64K, VGIC_ADDR_UNDEF } from '../uapi.js';
import { hexAddr, hexRange, u64, wraps } from '../u64.js';
import { checkBaseAddress, checkBaseRegion, legacyAllocSize } from './ipa-range.js';
import { fail, type KvmErr } from './result.js';
import type { RdistRegion, VgicDist, VmState } from './state.js';
import { rdistListRules } from './v6-fixes.js';

/** How messages name a region. */
export function regionName(r: Pick<RdistRegion, 'index' | 'count'>): string {
  return r.count === 0 ? 'the legacy redistributor region' : `redistributor region ${r.index}`;
}

/**
 * `vgic_v3_rd_region_size`: count × 128 KiB, or for the legacy region online vcpus ×
 * 128 KiB at the moment it is measured (a vcpu being created is not counted yet).
 */
export function regionSize(vm: VmState, r: RdistRegion): bigint {
  const frames = r.count === 0 ? vm.vcpus.length : r.count;
  return BigInt(frames) * KVM_VGIC_V3_REDIST_SIZE;
}

/** The kernel's overlap test of `[a, a + as)` and `[b, b + bs)`, in u64 arithmetic. */
function overlaps(a: bigint, as: bigint, b: bigint, bs: bigint): boolean {
  return u64(a + as) > b && a < u64(b + bs);
}

/** `vgic_v3_rdist_overlap`: the first region meeting `[base, base + size)`, if any. */
export function rdistOverlap(vm: VmState, base: bigint, size: bigint): RdistRegion | undefined {
  return vm.vgic?.regions.find((r) => overlaps(base, size, r.base, regionSize(vm, r)));
}

/** `vgic_dist_overlap`: does `[base, base + size)` meet the DIST frame? */
export function distOverlap(distBase: bigint, base: bigint, size: bigint): boolean {
  return overlaps(base, size, distBase, KVM_VGIC_V3_DIST_SIZE);
}

/** `vgic_v3_rdist_region_from_index`. */
export function regionFromIndex(vgic: VgicDist, index: number): RdistRegion | undefined {
  return vgic.regions.find((r) => r.index === index);
}

/** `vgic_v3_rdist_free_slot`: the first region, in list order, that is not full. */
export function freeSlot(vgic: VgicDist): RdistRegion | undefined {
  return vgic.regions.find((r) => r.count === 0 || r.freeIndex < r.count);
}

/**
 * `vgic_v3_check_base` (§5): undefined when the layout holds, else why not. Checked:
 * DIST + 64 KiB wraps; each region (legacy sized with the online vcpus now) wraps — or,
 * from 5.16, fails `vgic_check_iorange`; the DIST overlaps some region.
 */
export function checkBase(vm: VmState): string | undefined {
  const vgic = vm.vgic!;
  const dist = vgic.distBase;
  if (dist !== VGIC_ADDR_UNDEF && wraps(dist, KVM_VGIC_V3_DIST_SIZE)) {
    return `the distributor at ${hexAddr(dist)} wraps past the end of the 64-bit address space`;
  }
  for (const r of vgic.regions) {
    const why = checkBaseRegion(vm.profile, regionName(r), r.base, regionSize(vm, r), vm.ipaBits);
    if (why) return why;
  }
  if (dist === VGIC_ADDR_UNDEF) return undefined;
  const hit = rdistOverlap(vm, dist, KVM_VGIC_V3_DIST_SIZE);
  if (!hit) return undefined;
  return `${regionName(hit)} ${hexRange(hit.base, regionSize(vm, hit))} overlaps the distributor at ${hexRange(dist, KVM_VGIC_V3_DIST_SIZE)}`;
}

/**
 * `vgic_v3_alloc_redist_region` (§3.5 rules 1–8, in order). On success the region is
 * appended to the list; vcpu placement is the caller's next step.
 */
export function allocRedistRegion(vm: VmState, index: number, base: bigint, count: number): KvmErr | undefined {
  const vgic = vm.vgic!;
  const legacy = count === 0;
  const size = legacy ? legacyAllocSize(vm.profile, vm.vcpus.length) : BigInt(count) * KVM_VGIC_V3_REDIST_SIZE;
  const what = regionName({ index, count });
  if (wraps(base, size)) {
    return fail('EINVAL', 'wrap', `${what} ${hexAddr(base)} + ${hexAddr(size)} wraps past the end of the 64-bit address space`);
  }
  const last = vgic.regions.at(-1);
  if (!last) {
    if (index !== 0) {
      return fail('EINVAL', 'first-index-not-zero', `${what}: the first redistributor region must have index 0`);
    }
  } else {
    const err = rdistListRules(vm.profile, last, index, count);
    if (err) return err;
  }
  if (legacy && vgic.distBase !== VGIC_ADDR_UNDEF && distOverlap(vgic.distBase, base, size)) {
    const where = size === 0n ? `at ${hexAddr(base)} starts inside` : `${hexRange(base, size)} overlaps`;
    return fail('EINVAL', 'legacy-overlaps-dist', `${what} ${where} the distributor at ${hexRange(vgic.distBase, KVM_VGIC_V3_DIST_SIZE)}`);
  }
  const other = rdistOverlap(vm, base, size);
  if (other) {
    return fail('EINVAL', 'region-overlap', `${what} ${hexRange(base, size)} overlaps ${regionName(other)} at ${hexRange(other.base, regionSize(vm, other))}`);
  }
  const err = checkBaseAddress(vm.profile, { what, current: VGIC_ADDR_UNDEF, addr: base, align: SZ_64K, size }, vm.ipaBits);
  if (err) return err;
  vgic.regions.push({ index, base, count, freeIndex: 0 });
  return undefined;
}
