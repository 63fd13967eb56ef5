/**
 * Address checks against the VM's IPA size, in the two shapes the lab models:
 *
 * - 5.12/5.13 `vgic_check_ioaddr` (§3.1): base above the IPA → E2BIG, misaligned →
 *   EINVAL, already set → EEXIST. Only the base is looked at.
 * - 5.16 `vgic_check_iorange` (§9.1, Ricardo Koller's series): already set → EEXIST,
 *   base or size misaligned → EINVAL, base + size wraps → EINVAL, base above the IPA
 *   mask or base + size beyond the IPA size → E2BIG.
 *
 * Every place the 5.16 series changed is a function here, so this file shows the
 * whole of that change: the DIST/ITS/region base checks, the legacy region's size at
 * set time, and the extra condition in `vgic_v3_check_base`.
 */
import { KVM_VGIC_V3_REDIST_SIZE, VGIC_ADDR_UNDEF } from '../uapi.js';
import { hexAddr, hexRange, u64, wraps } from '../u64.js';
import { fail, type KvmErr } from './result.js';
import { FIX, hasFix, type KernelProfile } from './profiles.js';

/** What is being placed, for messages. */
export interface IoRange {
  /** E.g. "the distributor", "redistributor region 1". */
  what: string;
  /** The stored base (`VGIC_ADDR_UNDEF` when unset). */
  current: bigint;
  addr: bigint;
  align: bigint;
  size: bigint;
}

/** The IPA size in bytes (`kvm_phys_size`). */
export function ipaSize(ipaBits: number): bigint {
  return 1n << BigInt(ipaBits);
}

/** Bits of `addr` above the IPA (`addr & ~kvm_phys_mask`). */
function aboveIpa(addr: bigint, ipaBits: number): boolean {
  return (addr & ~(ipaSize(ipaBits) - 1n)) !== 0n;
}

/** 5.12/5.13 `vgic_check_ioaddr`: the base alone. */
function checkIoaddr(r: IoRange, ipaBits: number): KvmErr | undefined {
  if (aboveIpa(r.addr, ipaBits)) {
    return fail('E2BIG', 'ipa-limit', `${r.what} at ${hexAddr(r.addr)} is beyond the VM's ${ipaBits}-bit IPA space (top ${hexAddr(ipaSize(ipaBits) - 1n)})`);
  }
  if (r.addr % r.align !== 0n) {
    return fail('EINVAL', 'misaligned', `${r.what} base ${hexAddr(r.addr)} is not aligned to ${hexAddr(r.align)} (64 KiB)`);
  }
  if (r.current !== VGIC_ADDR_UNDEF) {
    return fail('EEXIST', 'already-set', `${r.what} base is already set (to ${hexAddr(r.current)})`);
  }
  return undefined;
}

/** 5.16 `vgic_check_iorange`: base and size, EEXIST first. */
function checkIorange(r: IoRange, ipaBits: number): KvmErr | undefined {
  if (r.current !== VGIC_ADDR_UNDEF) {
    return fail('EEXIST', 'already-set', `${r.what} base is already set (to ${hexAddr(r.current)})`);
  }
  if (r.addr % r.align !== 0n || r.size % r.align !== 0n) {
    return fail('EINVAL', 'misaligned', `${r.what} base ${hexAddr(r.addr)} is not aligned to ${hexAddr(r.align)} (64 KiB)`);
  }
  if (wraps(r.addr, r.size)) {
    return fail('EINVAL', 'wrap', `${r.what} ${hexAddr(r.addr)} + ${hexAddr(r.size)} wraps past the end of the 64-bit address space`);
  }
  if (aboveIpa(r.addr, ipaBits) || r.addr + r.size > ipaSize(ipaBits)) {
    const rule = aboveIpa(r.addr, ipaBits) ? 'ipa-limit' : 'ipa-top';
    return fail('E2BIG', rule, `${r.what} ${hexRange(r.addr, r.size)} goes beyond the VM's ${ipaBits}-bit IPA space (top ${hexAddr(ipaSize(ipaBits) - 1n)})`);
  }
  return undefined;
}

/**
 * The base check for a DIST, ITS or redistributor-region base, as the profile does it
 * (5.13: `vgic_check_ioaddr`; 5.16: `vgic_check_iorange`).
 */
export function checkBaseAddress(profile: KernelProfile, r: IoRange, ipaBits: number): KvmErr | undefined {
  return hasFix(profile, FIX.ipaRangeChecks) ? checkIorange(r, ipaBits) : checkIoaddr(r, ipaBits);
}

/**
 * The size `vgic_v3_alloc_redist_region` works with for a legacy region (count 0):
 * 0 before 5.16, online vcpus × 128 KiB from 5.16 (it then reaches the DIST-overlap rule
 * and the IPA check, §9.1).
 */
export function legacyAllocSize(profile: KernelProfile, onlineVcpus: number): bigint {
  return hasFix(profile, FIX.ipaRangeChecks) ? BigInt(onlineVcpus) * KVM_VGIC_V3_REDIST_SIZE : 0n;
}

/**
 * One region's part of `vgic_v3_check_base` (§5): before 5.16 only "base + size wraps";
 * from 5.16 the whole of `vgic_check_iorange` with an unset current base, so a region
 * reaching beyond the IPA size also fails. Returns a message, or undefined when fine.
 */
export function checkBaseRegion(profile: KernelProfile, what: string, base: bigint, size: bigint, ipaBits: number): string | undefined {
  if (!hasFix(profile, FIX.ipaRangeChecks)) {
    return wraps(base, size) ? `${what} ${hexAddr(base)} + ${hexAddr(size)} wraps past the end of the 64-bit address space` : undefined;
  }
  const err = checkIorange({ what, current: VGIC_ADDR_UNDEF, addr: base, align: 0x10000n, size }, ipaBits);
  return err?.message;
}

/** The end of `[base, base + size)` in u64 arithmetic. */
export function rangeEnd(base: bigint, size: bigint): bigint {
  return u64(base + size);
}
