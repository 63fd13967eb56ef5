/**
 * Addresses in the editor: exact u64 arithmetic on bigint, the sizes of the GICv3 frames
 * (reference §1), and the hex forms the engine reads and prints. The drawing converts to
 * numbers only for pixels.
 */

/** The alignment of every GICv3 base and the step of the keyboard and the drag. */
export const SZ_64K = 0x10000n;
/** KVM_VGIC_V3_DIST_SIZE. */
export const DIST_SIZE = 0x10000n;
/** KVM_VGIC_V3_REDIST_SIZE: one redistributor, RD_base + SGI_base. */
export const FRAME_SIZE = 0x20000n;
/** KVM_VGIC_V3_ITS_SIZE. */
export const ITS_SIZE = 0x20000n;
/** The REDIST_REGION count field holds 12 bits. */
export const MAX_REGION_COUNT = 0xfff;
/** A REDIST_REGION base must be below 2^52 (bits 63:52 hold the count). */
export const REGION_BASE_LIMIT = 1n << 52n;
/** KVM_MAX_VCPUS on the lab host. */
export const MAX_VCPUS = 512;
/** The IPA sizes a VM can ask for on the lab host (§10): 32..48 bits, 40 by default. */
export const IPA_BITS = { min: 32, max: 48, default: 40 } as const;

/** Parses `"0x…"` hex, a decimal string or a non-negative safe integer; undefined otherwise. */
export function parseAddr(v: string | number | undefined): bigint | undefined {
  if (typeof v === 'number') return Number.isSafeInteger(v) && v >= 0 ? BigInt(v) : undefined;
  if (typeof v !== 'string') return undefined;
  const t = v.trim();
  if (/^0x[0-9a-f]+$/i.test(t) || /^[0-9]+$/.test(t)) {
    const n = BigInt(t);
    return n < 1n << 64n ? n : undefined;
  }
  return undefined;
}

/** Lowercase `0x` hex without leading zeros (the form the engine prints). */
export function hex(n: bigint): string {
  return '0x' + n.toString(16);
}

/** `0x` hex padded to 8 digits, for labels (`0x080a0000`). */
export function hexAddr(n: bigint): string {
  return '0x' + n.toString(16).padStart(8, '0');
}

/** `base` rounded to the nearest multiple of `step` (at least 0). */
export function snap(base: bigint, step = SZ_64K): bigint {
  if (base <= 0n) return 0n;
  return ((base + step / 2n) / step) * step;
}

/** A size in KiB / MiB / GiB / TiB, for people. */
export function formatSize(bytes: number): string {
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB', 'PiB'];
  let v = bytes;
  let u = 0;
  while (v >= 1024 && u < units.length - 1) {
    v /= 1024;
    u++;
  }
  return `${Number.isInteger(v) ? v : v.toFixed(v < 10 ? 2 : 1)} ${units[u]}`;
}

/** An address as a pixel-ready number (exact below 2^53, close enough above). */
export function toNumber(n: bigint): number {
  return Number(n);
}
