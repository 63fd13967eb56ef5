/**
 * vgic-script v1 (reference §11): the document types and the readers for its values.
 * Numbers may be JSON integers, `"0x…"` hex, decimal strings, or — per field — the
 * kernel macro names of §11.2. Readers throw a DocumentError naming the path
 * (`steps[3].group`), which the runner turns into a step error.
 */
import { DocumentError, isObject, pathJoin } from '../../core/documents.js';
import type { Json } from '../../core/events.js';
import type { KernelProfile } from '../kernel/profiles.js';
import { ERRNO, GRP, KVM_DEV_ARM_CTRL, KVM_DEV_ARM_VGIC_GRP, KVM_DEV_TYPE, KVM_VGIC_ADDR_TYPE, errnoName, type ErrnoName } from '../uapi.js';
import { U64_MAX, parseU64Text } from '../u64.js';

/** `format` of a vgic-script. */
export const VGIC_SCRIPT_FORMAT = 'kvm-lab/vgic-script';
/** `format` of a vgic-script result. */
export const VGIC_RESULT_FORMAT = 'kvm-lab/vgic-result';
/** The newest script version this lab reads. */
export const VGIC_SCRIPT_VERSION = 1;

/** A vgic-script v1 document (§11.1). Steps are checked one by one as they run. */
export interface VgicScript {
  format: typeof VGIC_SCRIPT_FORMAT;
  version: 1;
  name?: string;
  description?: string;
  kernel?: KernelProfile;
  steps: VgicStep[];
}

/** One step (§11.3); `op` decides which other keys it needs. */
export interface VgicStep {
  op: 'create_vm' | 'create_vcpu' | 'vcpu_init' | 'run' | 'create_device' | 'set_attr' | 'get_attr' | 'has_attr' | 'close_device' | 'close_vm';
  vm?: string;
  dev?: string;
  vcpu_id?: number | string;
  ipa_bits?: number | string;
  type?: number | string;
  test?: boolean;
  group?: number | string;
  attr?: number | string | { mpidr: string | number; offset: string | number };
  value?: string | number;
  addr?: null;
  expect?: VgicExpect;
  note?: string;
}

/** An expectation (§11.5). */
export type VgicExpect = { ret: number; value?: string } | { errno: ErrnoName };

/** The answer to one step (§11.4); `why` is a lab addition explaining an errno. */
export type VgicStepResult = { ret: 0; value?: string } | { errno: ErrnoName; why?: string } | { error: string };

/** A vgic-script result document (§11.4). */
export interface VgicResult {
  format: typeof VGIC_RESULT_FORMAT;
  version: 1;
  file: string;
  /** Lab addition: the kernel profile the script ran under. */
  kernel?: KernelProfile;
  steps: VgicStepResult[];
  /** Set when the script itself could not be read (then `steps` is empty). */
  error?: string;
  /** Lab addition (option `events`): the run's event log. */
  events?: Json[];
}

/** Names a field accepts, by field. */
export const FIELD_NAMES = {
  type: KVM_DEV_TYPE as Record<string, number>,
  group: KVM_DEV_ARM_VGIC_GRP as Record<string, number>,
  attr: { ...KVM_VGIC_ADDR_TYPE, ...KVM_DEV_ARM_CTRL } as Record<string, number>,
  none: {} as Record<string, number>,
} as const;

/** Groups whose `attr` may be written as `{mpidr, offset}` (§11.2). */
export const MPIDR_ATTR_GROUPS: readonly number[] = [GRP.DIST_REGS, GRP.REDIST_REGS, GRP.CPU_SYSREGS, GRP.LEVEL_INFO];

/**
 * Reads a number field: a JSON integer (at most 2^53), a hex or decimal string, or one
 * of `names`; it must not exceed `max`.
 */
export function readNumber(v: Json | undefined, path: string, names: Record<string, number>, max: bigint, what = 'a number'): bigint {
  let n: bigint | undefined;
  if (typeof v === 'number') {
    if (!Number.isInteger(v)) throw new DocumentError(path, `expected an integer, found ${v}`);
    if (v < 0) throw new DocumentError(path, `${v} is negative (write u64 values as hex strings, e.g. "0xffffffffffffffff")`);
    if (!Number.isSafeInteger(v)) throw new DocumentError(path, 'values above 2^53 must be hex strings ("0x…")');
    n = BigInt(v);
  } else if (typeof v === 'string') {
    n = parseU64Text(v) ?? (Object.hasOwn(names, v) ? BigInt(names[v]) : undefined);
    if (n === undefined) {
      if (/^(0x)?[0-9a-f]+$/i.test(v.trim())) throw new DocumentError(path, `${v} does not fit in 64 bits`);
      const kind = Object.keys(names).length ? `unknown name "${v}" (expected ${what})` : `"${v}" is not a number`;
      throw new DocumentError(path, kind);
    }
  } else {
    throw new DocumentError(path, v === undefined ? 'missing' : `expected ${what}`);
  }
  if (n > max) throw new DocumentError(path, `${v} does not fit in ${max === U64_MAX ? 64 : max.toString(2).length} bits`);
  return n;
}

/** Reads a required handle name (`vm`, `dev`). */
export function readHandle(step: Record<string, Json>, key: 'vm' | 'dev', path: string): string {
  const v = step[key];
  if (typeof v !== 'string' || v === '') throw new DocumentError(pathJoin(path, key), v === undefined ? 'missing' : 'expected a handle name (a non-empty string)');
  return v;
}

/** Reads `attr`, allowing `{mpidr, offset}` for the register groups. */
export function readAttr(step: Record<string, Json>, group: bigint, path: string): bigint {
  const v = step.attr;
  const p = pathJoin(path, 'attr');
  if (!isObject(v)) return readNumber(v, p, FIELD_NAMES.attr, U64_MAX, 'an attribute name');
  if (!MPIDR_ATTR_GROUPS.includes(Number(group))) {
    throw new DocumentError(p, `an {mpidr, offset} attribute only fits the register groups (DIST_REGS, REDIST_REGS, CPU_SYSREGS, LEVEL_INFO)`);
  }
  const mpidr = readNumber(v.mpidr, pathJoin(p, 'mpidr'), FIELD_NAMES.none, 0xffff_ffffn);
  const offset = readNumber(v.offset, pathJoin(p, 'offset'), FIELD_NAMES.none, 0xffff_ffffn);
  return (mpidr << 32n) | offset;
}

/** Reads the buffer: `value` (absent = 0), or `addr: null` for a NULL pointer. */
export function readBuffer(step: Record<string, Json>, path: string): bigint | null {
  if ('addr' in step) {
    if (step.addr !== null) throw new DocumentError(pathJoin(path, 'addr'), 'only null is allowed (a NULL kvm_device_attr.addr)');
    if ('value' in step) throw new DocumentError(path, 'give either value or addr: null, not both');
    return null;
  }
  return step.value === undefined ? 0n : readNumber(step.value, pathJoin(path, 'value'), FIELD_NAMES.none, U64_MAX);
}

/** Checks an `expect` and returns it in normal form. */
export function readExpect(v: Json | undefined, path: string): VgicExpect | undefined {
  if (v === undefined) return undefined;
  if (!isObject(v)) throw new DocumentError(path, 'expected {"ret": 0}, {"ret": 0, "value": "0x…"} or {"errno": "E…"}');
  if ('errno' in v) {
    const e = v.errno;
    const name = typeof e === 'string' && Object.hasOwn(ERRNO, e) ? (e as ErrnoName) : typeof e === 'number' ? errnoName(e) : undefined;
    if (!name) throw new DocumentError(pathJoin(path, 'errno'), `unknown errno ${JSON.stringify(e)} (expected one of ${Object.keys(ERRNO).join(', ')})`);
    return { errno: name };
  }
  if (typeof v.ret !== 'number' || !Number.isInteger(v.ret)) throw new DocumentError(pathJoin(path, 'ret'), 'expected an integer');
  if (v.value === undefined) return { ret: v.ret };
  const value = readNumber(v.value, pathJoin(path, 'value'), FIELD_NAMES.none, U64_MAX);
  return { ret: v.ret, value: '0x' + value.toString(16) };
}
