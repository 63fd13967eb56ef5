/**
 * Guest policy (reference §7): a 32-bit little-endian word fixed at LAUNCH_START /
 * RECEIVE_START. The checks themselves sit in the command handlers, at the point and in
 * the order the firmware evaluates them; this file only names the bits.
 */

/** Policy bits (§7). */
export const Policy = {
  NODBG: 1 << 0,
  NOKS: 1 << 1,
  ES: 1 << 2,
  NOSEND: 1 << 3,
  DOMAIN: 1 << 4,
  SEV: 1 << 5,
  /** Bits 6–15: must be zero. */
  RESERVED_MASK: 0xffc0,
} as const;

/** Minimum firmware API major version the policy asks for (bits 16–23). */
export function policyApiMajor(policy: number): number {
  return (policy >>> 16) & 0xff;
}

/** Minimum firmware API minor version the policy asks for (bits 24–31). */
export function policyApiMinor(policy: number): number {
  return (policy >>> 24) & 0xff;
}

/** True when API `major.minor` is at least what `policy` asks for. */
export function apiSatisfies(policy: number, major: number, minor: number): boolean {
  const pMajor = policyApiMajor(policy);
  return major > pMajor || (major === pMajor && minor >= policyApiMinor(policy));
}

/** The policy as readable flags for event summaries: `"NODBG|NOSEND api>=0.0"`. */
export function describePolicy(policy: number): string {
  const names: string[] = (['NODBG', 'NOKS', 'ES', 'NOSEND', 'DOMAIN', 'SEV'] as const).filter((n) => (policy & Policy[n]) !== 0);
  const reserved = policy & Policy.RESERVED_MASK;
  if (reserved) names.push(`rsvd=0x${reserved.toString(16)}`);
  return `${names.join('|') || 'none'} api>=${policyApiMajor(policy)}.${policyApiMinor(policy)}`;
}
