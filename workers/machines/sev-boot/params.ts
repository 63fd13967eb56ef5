/**
 * The `sev-boot` scenario parameters and their validation (each error names its path):
 *
 * `{abi: 'v11' | 'upstream', efi: boolean, memMiB: 256..16384 (even), ovmfFeature: boolean,
 *   guestWritesMsr: boolean, policy?: u32 (default 0x1, QEMU's), workload?: {...} | null}`
 *
 * `workload` fields (all optional, defaults in guest/workload.ts): pagesPerSecond
 * 0..1e6, pattern sequential|random|hotspot, workingSetMiB 1..16384, sharedPages 0..4096,
 * sharedWriteFraction 0..1, fill text|random, tickMs 1..1000, fillPagesPerSecond 1..1e6 (optional:
 * first write every working-set page once at this rate, then run the pattern).
 */
import { DocumentError, isObject, pathJoin } from '../../core/documents.js';
import type { Json } from '../../core/events.js';
import { DEFAULT_WORKLOAD, type WorkloadParams } from '../../guest/workload.js';
import type { SevHostOptions } from '../../host/sev-host.js';

function bool(o: Record<string, Json>, k: string, path: string, dflt?: boolean): boolean {
  const v = o[k];
  if (v === undefined && dflt !== undefined) return dflt;
  if (typeof v !== 'boolean') throw new DocumentError(pathJoin(path, k), 'expected true or false');
  return v;
}

function num(o: Record<string, Json>, k: string, path: string, min: number, max: number, dflt: number, int = true): number {
  const v = o[k];
  if (v === undefined) return dflt;
  if (typeof v !== 'number' || !Number.isFinite(v) || (int && !Number.isInteger(v))) throw new DocumentError(pathJoin(path, k), int ? 'expected an integer' : 'expected a number');
  if (v < min || v > max) throw new DocumentError(pathJoin(path, k), `expected ${min}..${max}, found ${v}`);
  return v;
}

function oneOf<T extends string>(o: Record<string, Json>, k: string, path: string, values: readonly T[], dflt?: T): T {
  const v = o[k];
  if (v === undefined && dflt !== undefined) return dflt;
  if (typeof v !== 'string' || !values.includes(v as T)) throw new DocumentError(pathJoin(path, k), `expected one of ${values.map((x) => `"${x}"`).join(', ')}`);
  return v as T;
}

function workload(v: Json | undefined, path: string): WorkloadParams | null {
  if (v === undefined) return { ...DEFAULT_WORKLOAD };
  if (v === null) return null;
  if (!isObject(v)) throw new DocumentError(path, 'expected an object or null');
  const d = DEFAULT_WORKLOAD;
  const known = ['pagesPerSecond', 'pattern', 'workingSetMiB', 'sharedPages', 'sharedWriteFraction', 'fill', 'tickMs', 'fillPagesPerSecond'];
  for (const k of Object.keys(v)) if (!known.includes(k)) throw new DocumentError(pathJoin(path, k), 'unknown field');
  return {
    pagesPerSecond: num(v, 'pagesPerSecond', path, 0, 1_000_000, d.pagesPerSecond),
    pattern: oneOf(v, 'pattern', path, ['sequential', 'random', 'hotspot'] as const, d.pattern),
    workingSetMiB: num(v, 'workingSetMiB', path, 1, 16384, d.workingSetMiB),
    sharedPages: num(v, 'sharedPages', path, 0, 4096, d.sharedPages),
    sharedWriteFraction: num(v, 'sharedWriteFraction', path, 0, 1, d.sharedWriteFraction, false),
    fill: oneOf(v, 'fill', path, ['text', 'random'] as const, d.fill),
    tickMs: num(v, 'tickMs', path, 1, 1000, d.tickMs),
    ...(v.fillPagesPerSecond === undefined ? {} : { fillPagesPerSecond: num(v, 'fillPagesPerSecond', path, 1, 1_000_000, 0) }),
  };
}

/** Validates `params` and returns the host options (DocumentError with a path on the first problem). */
export function parseSevBootParams(params: Json, path: string): SevHostOptions {
  if (!isObject(params)) throw new DocumentError(path, 'expected an object');
  const known = ['abi', 'efi', 'memMiB', 'ovmfFeature', 'guestWritesMsr', 'policy', 'workload'];
  for (const k of Object.keys(params)) if (!known.includes(k)) throw new DocumentError(pathJoin(path, k), 'unknown field');
  const memMiB = num(params, 'memMiB', path, 256, 16384, 1024);
  if (memMiB % 2 !== 0) throw new DocumentError(pathJoin(path, 'memMiB'), 'expected an even number of MiB');
  return {
    abi: oneOf(params, 'abi', path, ['v11', 'upstream'] as const),
    efi: bool(params, 'efi', path, true),
    memMiB,
    ovmfFeature: bool(params, 'ovmfFeature', path, true),
    guestWritesMsr: bool(params, 'guestWritesMsr', path, true),
    policy: num(params, 'policy', path, 0, 0xffffffff, 0x1),
    workload: workload(params.workload, pathJoin(path, 'workload')),
  };
}
