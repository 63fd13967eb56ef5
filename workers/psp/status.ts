/**
 * Firmware status codes (reference §6): the value the PSP leaves in the low 16 bits of
 * CMDRESP when a command completes. Names are Linux's `sev_ret_code` names without the
 * `SEV_RET_` prefix, which is also how psp-script prints them (§17.3).
 */

/** Status codes by Linux name (§6). */
export const SevStatus = {
  SUCCESS: 0x00,
  INVALID_PLATFORM_STATE: 0x01,
  INVALID_GUEST_STATE: 0x02,
  INVALID_CONFIG: 0x03,
  INVALID_LEN: 0x04,
  ALREADY_OWNED: 0x05,
  INVALID_CERTIFICATE: 0x06,
  POLICY_FAILURE: 0x07,
  INACTIVE: 0x08,
  INVALID_ADDRESS: 0x09,
  BAD_SIGNATURE: 0x0a,
  BAD_MEASUREMENT: 0x0b,
  ASID_OWNED: 0x0c,
  INVALID_ASID: 0x0d,
  WBINVD_REQUIRED: 0x0e,
  DFFLUSH_REQUIRED: 0x0f,
  INVALID_GUEST: 0x10,
  INVALID_COMMAND: 0x11,
  ACTIVE: 0x12,
  HWSEV_RET_PLATFORM: 0x13,
  HWSEV_RET_UNSAFE: 0x14,
  UNSUPPORTED: 0x15,
  INVALID_PARAM: 0x16,
  RESOURCE_LIMIT: 0x17,
  SECURE_DATA_INVALID: 0x18,
} as const;

/** A status name of §6. */
export type SevStatusName = keyof typeof SevStatus;

/** A status value (any 16-bit number may come back from a mailbox). */
export type SevStatusCode = number;

const NAME_BY_CODE = new Map<number, SevStatusName>(
  (Object.entries(SevStatus) as [SevStatusName, number][]).map(([n, c]) => [c, n]),
);

/**
 * The printable name of a status: its §6 name, or `"0x1A"`-style hex (two digits at
 * least, upper case) for a code §6 does not name (§17.3).
 */
export function statusName(code: SevStatusCode): string {
  return NAME_BY_CODE.get(code) ?? `0x${code.toString(16).toUpperCase().padStart(2, '0')}`;
}

/**
 * Parses a status as a script writes it: a §6 name (`"INVALID_LEN"`, also with the
 * `SEV_RET_` prefix), a hex string (`"0x04"`) or a number. Undefined if it is none of these.
 */
export function parseStatus(v: unknown): SevStatusCode | undefined {
  if (typeof v === 'number') return Number.isInteger(v) && v >= 0 && v <= 0xffff ? v : undefined;
  if (typeof v !== 'string') return undefined;
  const name = v.startsWith('SEV_RET_') ? v.slice(8) : v;
  if (name in SevStatus) return SevStatus[name as SevStatusName];
  if (/^0x[0-9a-f]{1,4}$/i.test(v)) return parseInt(v.slice(2), 16);
  return undefined;
}
