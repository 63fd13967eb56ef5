/**
 * OVMF's UEFI variable store: GetVariable / SetVariable with the spec's attribute rules,
 * and the non-volatile variables mirrored into the varstore flash (`system.flash1`) so
 * the hypervisor sees them there in plaintext, as it would on a real OVMF guest (the
 * varstore is never encrypted: QEMU's v4 series treats flash1 as plaintext, reference
 * §4.5).
 *
 * [U] lab choice for the flash layout: a firmware-volume header (0x48 bytes) and a
 * variable-store header (0x1c bytes) are left zero, then one record per NV variable in
 * edk2's `VARIABLE_HEADER` shape — StartId 0x55AA u16, State 0x3F u8, reserved u8,
 * Attributes u32, NameSize u32, DataSize u32, VendorGuid[16] — then the UCS-2 name and
 * the data, each record 4-byte aligned. The whole region is rewritten on every change
 * (real flash appends and reclaims; the lab only needs the bytes to be there).
 */
import { bytesToHex } from '@noble/hashes/utils.js';
import {
  EfiStatus,
  EfiVariable,
  guidBytes,
  ucs2z,
} from './efi.js';

/** One variable. */
export interface EfiVariableRecord {
  name: string;
  guid: string;
  attributes: number;
  data: Uint8Array;
}

/** The result of GetVariable. */
export interface GetVariableResult {
  status: bigint;
  attributes?: number;
  /** The data (present on success). */
  data?: Uint8Array;
  /** The size needed (on EFI_BUFFER_TOO_SMALL) or returned. */
  dataSize: number;
}

/** Where the store mirrors its NV variables: the varstore flash, written as the firmware would. */
export type FlashWriter = (offset: number, bytes: Uint8Array) => void;

/** Offset of the first variable record in the varstore flash ([U] see the header). */
export const VARIABLE_RECORDS_OFFSET = 0x48 + 0x1c;
const HEADER_LEN = 32;
const KNOWN_ATTRS = 0x7f;

const key = (name: string, guid: string): string => `${guid.toLowerCase()}/${name}`;

/** The variable services of one firmware instance. */
export class VariableStore {
  private readonly vars = new Map<string, EfiVariableRecord>();
  private atRuntime = false;

  constructor(
    private readonly flashSize: number,
    private readonly flash?: FlashWriter,
  ) {}

  /** ExitBootServices(): from now on only RUNTIME_ACCESS variables are visible. */
  exitBootServices(): void {
    this.atRuntime = true;
  }

  /** A platform reset: boot services again; volatile variables are gone. */
  reset(): void {
    this.atRuntime = false;
    for (const [k, v] of this.vars) if ((v.attributes & EfiVariable.EFI_VARIABLE_NON_VOLATILE) === 0) this.vars.delete(k);
  }

  /** True after ExitBootServices(). */
  get runtime(): boolean {
    return this.atRuntime;
  }

  /** GetVariable(name, guid, &attrs, &dataSize, data): `bufferSize` is the caller's DataSize. */
  getVariable(name: string, guid: string, bufferSize: number): GetVariableResult {
    if (name.length === 0 || !Number.isInteger(bufferSize) || bufferSize < 0) {
      return { status: EfiStatus.EFI_INVALID_PARAMETER, dataSize: 0 };
    }
    const v = this.vars.get(key(name, guid));
    if (!v || (this.atRuntime && (v.attributes & EfiVariable.EFI_VARIABLE_RUNTIME_ACCESS) === 0)) {
      return { status: EfiStatus.EFI_NOT_FOUND, dataSize: 0 };
    }
    if (bufferSize < v.data.length) {
      return { status: EfiStatus.EFI_BUFFER_TOO_SMALL, attributes: v.attributes, dataSize: v.data.length };
    }
    return { status: EfiStatus.EFI_SUCCESS, attributes: v.attributes, data: v.data.slice(), dataSize: v.data.length };
  }

  /** SetVariable(name, guid, attrs, dataSize, data): size 0 (or attributes 0) deletes. */
  setVariable(name: string, guid: string, attributes: number, data: Uint8Array): bigint {
    if (name.length === 0) return EfiStatus.EFI_INVALID_PARAMETER;
    if ((attributes & ~KNOWN_ATTRS) !== 0) return EfiStatus.EFI_INVALID_PARAMETER;
    const rt = (attributes & EfiVariable.EFI_VARIABLE_RUNTIME_ACCESS) !== 0;
    const bs = (attributes & EfiVariable.EFI_VARIABLE_BOOTSERVICE_ACCESS) !== 0;
    if (rt && !bs) return EfiStatus.EFI_INVALID_PARAMETER;
    // The lab's OVMF has no authenticated-variable support (no Secure Boot build).
    if ((attributes & (EfiVariable.EFI_VARIABLE_AUTHENTICATED_WRITE_ACCESS | EfiVariable.EFI_VARIABLE_TIME_BASED_AUTHENTICATED_WRITE_ACCESS)) !== 0) {
      return EfiStatus.EFI_UNSUPPORTED;
    }
    const k = key(name, guid);
    const old = this.vars.get(k);
    if (this.atRuntime) {
      // At runtime only NV+BS+RT variables may be written (UEFI §8.2).
      if (attributes !== 0 && (!rt || (attributes & EfiVariable.EFI_VARIABLE_NON_VOLATILE) === 0)) {
        return EfiStatus.EFI_INVALID_PARAMETER;
      }
      if (old && (old.attributes & EfiVariable.EFI_VARIABLE_RUNTIME_ACCESS) === 0) return EfiStatus.EFI_NOT_FOUND;
    }
    if (data.length === 0 || attributes === 0) {
      if (!old) return EfiStatus.EFI_NOT_FOUND;
      this.vars.delete(k);
      this.syncFlash();
      return EfiStatus.EFI_SUCCESS;
    }
    const append = (attributes & EfiVariable.EFI_VARIABLE_APPEND_WRITE) !== 0;
    const stored = attributes & ~EfiVariable.EFI_VARIABLE_APPEND_WRITE;
    if (old && old.attributes !== stored) return EfiStatus.EFI_INVALID_PARAMETER;
    const bytes = append && old ? concat(old.data, data) : data.slice();
    const next = new Map(this.vars);
    next.set(k, { name, guid: guid.toLowerCase(), attributes: stored, data: bytes });
    if (this.flashBytes(next).length > this.flashSize) return EfiStatus.EFI_OUT_OF_RESOURCES;
    this.vars.set(k, next.get(k)!);
    this.syncFlash();
    return EfiStatus.EFI_SUCCESS;
  }

  /** Every variable (copies), for the inspector and snapshots. */
  list(): EfiVariableRecord[] {
    return [...this.vars.values()].map((v) => ({ ...v, data: v.data.slice() }));
  }

  /** JSON form of the store (variables with hex data). */
  toJson(): { name: string; guid: string; attributes: number; data: string }[] {
    return this.list().map((v) => ({ name: v.name, guid: v.guid, attributes: v.attributes, data: bytesToHex(v.data) }));
  }

  /** Puts back variables saved with {@link toJson} (no flash write: the flash holds them already). */
  load(vars: readonly EfiVariableRecord[]): void {
    this.vars.clear();
    for (const v of vars) this.vars.set(key(v.name, v.guid), { ...v, data: v.data.slice() });
  }

  private syncFlash(): void {
    if (!this.flash) return;
    const bytes = this.flashBytes(this.vars);
    const region = new Uint8Array(Math.min(this.flashSize, bytes.length + 4096));
    region.set(bytes);
    this.flash(VARIABLE_RECORDS_OFFSET, region.subarray(0, Math.min(region.length, this.flashSize - VARIABLE_RECORDS_OFFSET)));
  }

  private flashBytes(vars: ReadonlyMap<string, EfiVariableRecord>): Uint8Array {
    const parts: Uint8Array[] = [];
    for (const v of vars.values()) {
      if ((v.attributes & EfiVariable.EFI_VARIABLE_NON_VOLATILE) === 0) continue;
      const name = ucs2z(v.name);
      const len = HEADER_LEN + name.length + v.data.length;
      const rec = new Uint8Array(len + ((4 - (len % 4)) % 4));
      const dv = new DataView(rec.buffer);
      dv.setUint16(0, 0x55aa, true);
      rec[2] = 0x3f;
      dv.setUint32(4, v.attributes, true);
      dv.setUint32(8, name.length, true);
      dv.setUint32(12, v.data.length, true);
      rec.set(guidBytes(v.guid), 16);
      rec.set(name, HEADER_LEN);
      rec.set(v.data, HEADER_LEN + name.length);
      parts.push(rec);
    }
    return concat(...parts);
  }
}

function concat(...parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
}
