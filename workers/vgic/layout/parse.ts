/**
 * Checks a {@link VgicLayout} from the editor and turns it into exact values. Bad input
 * gives a message with the path of the first problem (`regions[1].base`); anything the
 * kernel itself would refuse is left for the kernel to answer.
 */
import { DocumentError, isObject, pathJoin } from '../../core/documents.js';
import type { Json } from '../../core/events.js';
import { isKernelProfile, type KernelProfile } from '../kernel/profiles.js';
import { parseU64Text } from '../u64.js';

/** A layout with exact values. */
export interface ParsedLayout {
  profile: KernelProfile;
  vcpuIds: number[];
  dist?: bigint;
  redist?: bigint;
  regions: { index: number; base: bigint; count: number }[];
  its?: bigint;
  ipaBits: number;
  order: 'dist-first' | 'dist-last';
}

/** Most vCPUs a layout may ask for (ids from 512 get the kernel's EINVAL). [U] */
export const MAX_LAYOUT_VCPUS = 1024;

function int(v: Json | undefined, path: string, min: number, max: number): number {
  if (typeof v !== 'number' || !Number.isInteger(v) || v < min || v > max) {
    throw new DocumentError(path, `expected an integer ${min}..${max}, found ${JSON.stringify(v ?? null)}`);
  }
  return v;
}

/** Reads an address: hex or decimal string, or a non-negative integer up to 2^53. */
export function parseAddress(v: Json | undefined, path: string): bigint {
  if (typeof v === 'number' && Number.isSafeInteger(v) && v >= 0) return BigInt(v);
  const parsed = typeof v === 'string' ? parseU64Text(v) : undefined;
  if (parsed === undefined) throw new DocumentError(path, `expected an address ("0x…" hex, at most 64 bits), found ${JSON.stringify(v ?? null)}`);
  return parsed;
}

function frame(v: Json | undefined, path: string): bigint | undefined {
  if (v === undefined || v === null) return undefined;
  if (!isObject(v)) throw new DocumentError(path, 'expected {"base": "0x…"}');
  return parseAddress(v.base, pathJoin(path, 'base'));
}

/** Validates `layout`; throws a DocumentError naming the path of the first problem. */
export function parseLayout(layout: unknown): ParsedLayout {
  if (!isObject(layout)) throw new DocumentError('', 'expected a layout object');
  if (!isKernelProfile(layout.profile)) throw new DocumentError('profile', `expected "5.12", "5.13" or "5.16", found ${JSON.stringify(layout.profile ?? null)}`);
  const vcpus = int(layout.vcpus, 'vcpus', 0, MAX_LAYOUT_VCPUS);
  let vcpuIds = Array.from({ length: vcpus }, (_, i) => i);
  if (layout.vcpuIds !== undefined) {
    if (!Array.isArray(layout.vcpuIds) || layout.vcpuIds.length !== vcpus) {
      throw new DocumentError('vcpuIds', `expected an array of ${vcpus} vCPU ids (creation order)`);
    }
    vcpuIds = layout.vcpuIds.map((id, i) => int(id, `vcpuIds[${i}]`, 0, 0xffff_ffff));
  }
  const regionsIn = layout.regions ?? [];
  if (!Array.isArray(regionsIn)) throw new DocumentError('regions', 'expected an array of {index, base, count}');
  const regions = regionsIn.map((r, i) => {
    const path = pathJoin('regions', i);
    if (!isObject(r)) throw new DocumentError(path, 'expected {index, base, count}');
    const base = parseAddress(r.base, pathJoin(path, 'base'));
    if (base >> 52n !== 0n) throw new DocumentError(pathJoin(path, 'base'), 'a REDIST_REGION base must be below 2^52 (bits 63:52 hold the count)');
    return { index: int(r.index, pathJoin(path, 'index'), 0, 0xfff), base, count: int(r.count, pathJoin(path, 'count'), 0, 0xfff) };
  });
  const order = layout.order ?? 'dist-first';
  if (order !== 'dist-first' && order !== 'dist-last') throw new DocumentError('order', 'expected "dist-first" or "dist-last"');
  return {
    profile: layout.profile,
    vcpuIds,
    dist: frame(layout.dist, 'dist'),
    redist: frame(layout.redist, 'redist'),
    regions,
    its: frame(layout.its, 'its'),
    ipaBits: layout.ipaBits === undefined ? 0 : int(layout.ipaBits, 'ipaBits', 0, 255),
    order,
  };
}
