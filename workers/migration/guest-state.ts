/**
 * The guest's non-RAM state as the lab migrates it: the `kvm-lab/guest` device section
 * (stream/format.ts GUEST_SECTION). Real QEMU sends the vCPU state (registers, the KVM PV
 * MSRs — for a plain SEV guest the VMCB is not encrypted) and device vmstate; the guest's
 * page tables live in its private RAM and arrive with it. The lab's kernel model keeps
 * its page-table C-bits and its workload position in JavaScript objects, so they travel
 * here instead, as JSON:
 *
 * `{version: 1, kernel: KernelVmstate, shared: [[firstPage, pages], ...] (the guest's
 *   C-bit-clear RAM pages, pc.ram page indexes), workload: WorkloadVmstate | null,
 *   msrs: {"0x4b564d01": "0x...", ...} (the PV MSRs KVM keeps)}`
 *
 * [U] lab choice; documented in docs/stream-format.md. The migration MSR's value is not
 * in it: it lives in the VMM process and is not migrated (reference §4.8).
 */
import { isObject } from '../core/documents.js';
import type { Json } from '../core/events.js';
import type { KernelVmstate } from '../guest/kernel.js';
import type { WorkloadVmstate } from '../guest/workload.js';
import { PageState } from '../host/page-states.js';
import type { SevHost } from '../host/sev-host.js';

const isNum = (v: Json | undefined): boolean => typeof v === 'number' && Number.isFinite(v);

/** The first problem of a kernel state, or undefined. */
function checkKernel(k: Record<string, Json>): string | undefined {
  if (!isNum(k.boots) || !isNum(k.kernelStart)) return 'kernel: boots and kernelStart must be numbers';
  if (typeof k.sevActive !== 'boolean' || typeof k.notifyEnabled !== 'boolean') return 'kernel: sevActive and notifyEnabled must be booleans';
  if (k.migrationFlag !== null && typeof k.migrationFlag !== 'boolean') return 'kernel: migrationFlag must be a boolean or null';
  if (!Array.isArray(k.splitFrames) || !k.splitFrames.every((f) => isNum(f))) return 'kernel: splitFrames must be numbers';
  return undefined;
}

/** The first problem of a workload state, or undefined. */
function checkWorkload(w: Json | undefined): string | undefined {
  if (!isObject(w)) return 'workload must be an object or null';
  if (typeof w.started !== 'boolean' || typeof w.touched !== 'string' || !/^[0-9a-f]*$/.test(w.touched)) return 'workload: started / touched malformed';
  if (![w.touchedCount, w.carry, w.cursor, w.writes].every((v) => isNum(v))) return 'workload: counters must be numbers';
  const rng = w.rng;
  if (!isObject(rng) || typeof rng.key !== 'string' || !/^[0-9a-f]{64}$/.test(rng.key) || !isNum(rng.drawn)) return 'workload: rng malformed';
  return undefined;
}

/** The state of the guest on `host`, as the section's JSON text. */
export function saveGuestState(host: SevHost): string {
  const shared: [number, number][] = [];
  const b = host.pageStates.bytes;
  for (let i = 0; i < b.length; i++) {
    if ((b[i] & PageState.SHARED) === 0) continue;
    const last = shared[shared.length - 1];
    if (last && last[0] + last[1] === i) last[1]++;
    else shared.push([i, 1]);
  }
  const msrs: Record<string, string> = {};
  for (const [k, v] of host.vmm.vm.msrs.values) msrs[`0x${k.toString(16)}`] = `0x${v.toString(16)}`;
  return JSON.stringify({ version: 1, kernel: host.kernel.vmstate(), shared, workload: host.workload?.vmstate() ?? null, msrs });
}

/** Loads a section's JSON into the guest on `host`; the problem as text, or undefined. */
export function loadGuestState(host: SevHost, text: string): string | undefined {
  let doc: Json;
  try {
    doc = JSON.parse(text) as Json;
  } catch {
    return 'not valid JSON';
  }
  if (!isObject(doc) || doc.version !== 1) return 'expected {version: 1, ...}';
  if (!isObject(doc.kernel) || !Array.isArray(doc.shared) || !isObject(doc.msrs)) return 'missing kernel, shared or msrs';
  const bad = checkKernel(doc.kernel) ?? (doc.workload === null ? undefined : checkWorkload(doc.workload));
  if (bad) return bad;
  const states = host.pageStates;
  const shared = doc.shared;
  for (const r of shared) {
    if (!Array.isArray(r) || typeof r[0] !== 'number' || typeof r[1] !== 'number' || r[0] < 0 || r[0] + r[1] > states.pages) return 'bad shared range';
  }
  const msrs = Object.entries(doc.msrs);
  for (const [k, v] of msrs) if (!/^0x[0-9a-f]{1,8}$/i.test(k) || typeof v !== 'string' || !/^0x[0-9a-f]{1,16}$/i.test(v)) return `bad MSR entry ${k}`;
  states.setBits(0, states.pages, PageState.SHARED, false);
  for (const r of shared as [number, number][]) states.setBits(r[0], r[1], PageState.SHARED, true);
  host.kernel.loadVmstate(doc.kernel as unknown as KernelVmstate);
  if (doc.workload !== null && host.workload) host.workload.loadVmstate(doc.workload as unknown as WorkloadVmstate);
  for (const [k, v] of msrs) host.vmm.vm.msrs.values.set(Number(k), BigInt(v as string));
  return undefined;
}
