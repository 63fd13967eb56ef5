/**
 * UEFI constants the lab's firmware and guest kernel use: `EFI_STATUS` codes, variable
 * attributes, GUID encoding and UCS-2 names (UEFI spec §8.2 GetVariable/SetVariable;
 * edk2 `MdePkg/Include/Uefi/UefiBaseType.h`, `UefiMultiPhase.h`), plus the AMD
 * memory-encryption GUID and the live-migration variable of reference §1.5.
 */

/** EFI_STATUS values (64-bit; errors have the top bit set). */
export const EfiStatus = {
  EFI_SUCCESS: 0n,
  EFI_INVALID_PARAMETER: (1n << 63n) | 2n,
  EFI_UNSUPPORTED: (1n << 63n) | 3n,
  EFI_BUFFER_TOO_SMALL: (1n << 63n) | 5n,
  EFI_WRITE_PROTECTED: (1n << 63n) | 8n,
  EFI_OUT_OF_RESOURCES: (1n << 63n) | 9n,
  EFI_NOT_FOUND: (1n << 63n) | 14n,
  EFI_SECURITY_VIOLATION: (1n << 63n) | 26n,
} as const;

/** The name of an EFI_STATUS value. */
export function efiStatusName(s: bigint): string {
  const entries: [string, bigint][] = Object.entries(EfiStatus);
  return entries.find(([, v]) => v === s)?.[0] ?? `0x${s.toString(16)}`;
}

/** Variable attribute bits. */
export const EfiVariable = {
  EFI_VARIABLE_NON_VOLATILE: 0x1,
  EFI_VARIABLE_BOOTSERVICE_ACCESS: 0x2,
  EFI_VARIABLE_RUNTIME_ACCESS: 0x4,
  EFI_VARIABLE_HARDWARE_ERROR_RECORD: 0x8,
  EFI_VARIABLE_AUTHENTICATED_WRITE_ACCESS: 0x10,
  EFI_VARIABLE_TIME_BASED_AUTHENTICATED_WRITE_ACCESS: 0x20,
  EFI_VARIABLE_APPEND_WRITE: 0x40,
} as const;

/** Attribute names of a mask, for event payloads (`NON_VOLATILE|BOOTSERVICE_ACCESS|...`). */
export function attributeNames(attrs: number): string {
  const names = (Object.entries(EfiVariable) as [string, number][])
    .filter(([, bit]) => (attrs & bit) !== 0)
    .map(([n]) => n.replace('EFI_VARIABLE_', ''));
  return names.length ? names.join('|') : '0';
}

/**
 * AMD's memory-encryption vendor GUID (Linux `AMD_SEV_MEM_ENCRYPT_GUID`, v11
 * `MEM_ENCRYPT_GUID`; edk2 `gMemEncryptGuid`), §1.5.
 */
export const MEM_ENCRYPT_GUID = '0cf29b71-9e51-433a-a3b7-81f3ab16b875';
/** The variable OVMF sets when it supports SEV live migration (§1.5). */
export const SEV_LIVE_MIGRATION_VARIABLE = 'SevLiveMigrationEnabled';
/** Its attributes: NON_VOLATILE | BOOTSERVICE_ACCESS | RUNTIME_ACCESS (edk2 PlatformDxe/AmdSev.c). */
export const SEV_LIVE_MIGRATION_ATTRIBUTES =
  EfiVariable.EFI_VARIABLE_NON_VOLATILE | EfiVariable.EFI_VARIABLE_BOOTSERVICE_ACCESS | EfiVariable.EFI_VARIABLE_RUNTIME_ACCESS;

/** The 16 bytes of an EFI_GUID: Data1 u32 LE, Data2 u16 LE, Data3 u16 LE, Data4[8] as written. */
export function guidBytes(guid: string): Uint8Array {
  const h = guid.replace(/-/g, '');
  if (!/^[0-9a-f]{32}$/i.test(h)) throw new RangeError(`not a GUID: ${guid}`);
  const b = (i: number): number => parseInt(h.slice(i * 2, i * 2 + 2), 16);
  return Uint8Array.from([b(3), b(2), b(1), b(0), b(5), b(4), b(7), b(6), b(8), b(9), b(10), b(11), b(12), b(13), b(14), b(15)]);
}

/** A NUL-terminated UCS-2 (UTF-16LE) name, as `CHAR16 *VariableName` holds it. */
export function ucs2z(name: string): Uint8Array {
  const out = new Uint8Array((name.length + 1) * 2);
  for (let i = 0; i < name.length; i++) {
    const c = name.charCodeAt(i);
    out[i * 2] = c & 0xff;
    out[i * 2 + 1] = c >> 8;
  }
  return out;
}
