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
  const states = host.pageStates;
  const shared = doc.shared;
  for (const r of shared) {
    if (!Array.isArray(r) || typeof r[0] !== 'number' || typeof r[1] !== 'number' || r[0] < 0 || r[0] + r[1] > states.pages) return 'bad shared range';
  }
  states.setBits(0, states.pages, PageState.SHARED, false);
  for (const r of shared as [number, number][]) states.setBits(r[0], r[1], PageState.SHARED, true);
  host.kernel.loadVmstate(doc.kernel as unknown as KernelVmstate);
  if (doc.workload !== null && host.workload) host.workload.loadVmstate(doc.workload as unknown as WorkloadVmstate);
  for (const [k, v] of Object.entries(doc.msrs)) {
    if (typeof v !== 'string') return `bad MSR value for ${k}`;
    host.vmm.vm.msrs.values.set(Number(k), BigInt(v));
  }
  return undefined;
}
