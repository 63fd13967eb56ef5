/**
 * Register-width helpers. Hypercall arguments, MSR values and CPUID registers are u64 /
 * u32 machine words: the lab keeps them as bigint at the guest↔KVM↔VMM boundary so a
 * wrapping page count or a reserved bit 63 is never rounded away, and converts to plain
 * numbers only once a value is known to be a valid guest-physical address.
 */

/** 2^64, the modulus of a 64-bit register. */
export const U64_MOD = 1n << 64n;
/** All-ones 64-bit word. */
export const U64_MAX = U64_MOD - 1n;

/** `v` truncated to 64 bits, as a register holds it (negative numbers wrap). */
export function u64(v: bigint | number): bigint {
  return BigInt.asUintN(64, typeof v === 'number' ? BigInt(v) : v);
}

/** A register value as the kernel prints it: `0x` and lower-case hex. */
export function hex(v: bigint | number): string {
  if (typeof v === 'number') return `0x${v.toString(16)}`;
  return `0x${v.toString(16)}`;
}

/** A u64 as 16 hex digits without prefix (QEMU's and the kernel's `%016llx`). */
export function hex16(v: bigint | number): string {
  return u64(v).toString(16).padStart(16, '0');
}

/** A negative errno as RAX holds it (two's complement in 64 bits). */
export function negErrno(errno: number): bigint {
  return u64(-BigInt(errno));
}

/** RAX as a signed 64-bit value (to recognise `-KVM_ENOSYS` and friends). */
export function asSigned64(v: bigint): bigint {
  return BigInt.asIntN(64, v);
}

/** True when `v` fits a JS safe integer (so it can address the lab's memory). */
export function isSafeU64(v: bigint): boolean {
  return v >= 0n && v <= BigInt(Number.MAX_SAFE_INTEGER);
}

/** Parses `0x..`, decimal or a number into a u64 bigint; undefined when it is neither. */
export function parseU64(v: unknown): bigint | undefined {
  if (typeof v === 'bigint') return v >= 0n && v <= U64_MAX ? v : undefined;
  if (typeof v === 'number') return Number.isSafeInteger(v) && v >= 0 ? BigInt(v) : undefined;
  if (typeof v !== 'string') return undefined;
  const s = v.trim();
  if (!/^(0x[0-9a-f]+|\d+)$/i.test(s)) return undefined;
  const n = BigInt(s);
  return n <= U64_MAX ? n : undefined;
}
