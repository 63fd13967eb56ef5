/**
 * 64-bit unsigned arithmetic as the kernel does it (`u64`, `gpa_t`), on bigint: sums
 * wrap modulo 2^64, which several checks of the reference (§3.5 rule 1, §5 check_base)
 * depend on. Plus the hex formatting scripts and messages use.
 */

/** 2^64 − 1. */
export const U64_MAX = (1n << 64n) - 1n;

/** `x` reduced to 64 bits, as a C `u64` would hold it. */
export function u64(x: bigint): bigint {
  return BigInt.asUintN(64, x);
}

/** The kernel's `base + size < base` test: true when the u64 sum wraps. */
export function wraps(base: bigint, size: bigint): boolean {
  return u64(base + size) < base;
}

/** Lowercase hex with `0x` and no leading zeros (the §11.4 result form). */
export function hex(x: bigint): string {
  return '0x' + x.toString(16);
}

/** Hex padded to at least 8 digits, for addresses in messages (`0x08000000`). */
export function hexAddr(x: bigint): string {
  return '0x' + x.toString(16).padStart(8, '0');
}

/** The inclusive range `[base, base + size)` as `0x…–0x…` for messages. */
export function hexRange(base: bigint, size: bigint): string {
  if (size === 0n) return `${hexAddr(base)} (empty)`;
  return `${hexAddr(base)}–${hexAddr(u64(base + size - 1n))}`;
}

/**
 * Parses a u64 from `0x…` hex or a decimal string; undefined when it is not a number or
 * does not fit in 64 bits.
 */
export function parseU64Text(text: string): bigint | undefined {
  const t = text.trim();
  let v: bigint;
  if (/^0[xX][0-9a-fA-F]+$/.test(t)) v = BigInt(t);
  else if (/^[0-9]+$/.test(t)) v = BigInt(t);
  else return undefined;
  return v <= U64_MAX ? v : undefined;
}

/** The u64 as a JS number when it is exactly representable, else undefined. */
export function toSafeNumber(x: bigint): number | undefined {
  return x <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(x) : undefined;
}
