/**
 * The redistributor layout a vgic-script has built after its first steps, so the editor
 * can draw a script as it plays (reference §3, §6, §11). It follows the script's handles
 * (§11.1) and keeps, per VM, what the kernel holds after each *successful* step: the
 * vCPUs created, the DIST base, the legacy REDIST base, the REDIST_REGION regions
 * (decoded as §1 says) and the ITS base. A failed first KVM_RUN tears the layout down as
 * §6 describes. The result is a {@link VgicLayout} that `evaluateLayout` can redraw.
 *
 * [U] lab choice: 5.12's "a region whose vCPU placement fails stays registered" (§8.3)
 * is not followed here — a refused step never adds a block to the drawing.
 */
import { isObject } from '../../core/documents.js';
import type { Json } from '../../core/events.js';
import { readScriptHeader } from './runner.js';
import {
  FIELD_NAMES,
  readAttr,
  readBuffer,
  readHandle,
  readNumber,
  type VgicStepResult,
} from './format.js';
import { decodeRedistRegion } from '../kernel/vgic-addr.js';
import type { KernelProfile } from '../kernel/profiles.js';
import type { VgicLayout } from '../layout/types.js';
import { ADDR, GRP, ITS, V3 } from '../uapi.js';
import { U64_MAX, hex } from '../u64.js';

/** The layout of one VM of a script at a cursor. */
export interface ScriptLayoutView {
  /** The script's handle of the VM drawn (the one the last performed step used). */
  vm: string;
  layout: VgicLayout;
  /** Steps performed to get here. */
  upTo: number;
}

interface VmTrack {
  ipaBits: number;
  vcpuIds: number[];
  dist?: bigint;
  redist?: bigint;
  regions: { index: number; base: bigint; count: number }[];
  its?: bigint;
  /** The DIST was set after a redistributor (the selftests' order). */
  distLast: boolean;
  ranOnce: boolean;
}

const ok = (r: VgicStepResult | undefined): boolean => r !== undefined && 'ret' in r;

/** The successful GRP_ADDR set on `track` by one step. */
function applyAddr(track: VmTrack, devType: number, attr: bigint, value: bigint): void {
  if (devType === ITS) {
    if (attr === BigInt(ADDR.ITS)) track.its = value;
    return;
  }
  if (attr === BigInt(ADDR.DIST)) {
    track.dist = value;
    track.distLast = track.redist !== undefined || track.regions.length > 0;
  } else if (attr === BigInt(ADDR.REDIST)) {
    track.redist = value;
  } else if (attr === BigInt(ADDR.REDIST_REGION)) {
    const r = decodeRedistRegion(value);
    // The kernel keeps the index in a u8 (§1), so that is the index the region has.
    track.regions.push({ index: r.index & 0xff, base: r.base, count: r.count });
  }
}

function toLayout(profile: KernelProfile, t: VmTrack): VgicLayout {
  const inOrder = t.vcpuIds.every((id, i) => id === i);
  return {
    profile,
    vcpus: t.vcpuIds.length,
    ...(inOrder ? {} : { vcpuIds: [...t.vcpuIds] }),
    ...(t.ipaBits ? { ipaBits: t.ipaBits } : {}),
    ...(t.dist !== undefined ? { dist: { base: hex(t.dist) } } : {}),
    ...(t.redist !== undefined ? { redist: { base: hex(t.redist) } } : {}),
    ...(t.regions.length
      ? { regions: t.regions.map((r) => ({ index: r.index, base: hex(r.base), count: r.count })) }
      : {}),
    ...(t.its !== undefined ? { its: { base: hex(t.its) } } : {}),
    ...(t.distLast ? { order: 'dist-last' as const } : {}),
  };
}

/**
 * The layout of the VM the script used last, after its first `upTo` steps, given the
 * run's step results. Undefined when no VM is open at that point or the script cannot
 * be read. Never throws.
 */
export function scriptLayoutAt(
  script: unknown,
  results: readonly VgicStepResult[],
  upTo: number,
): ScriptLayoutView | undefined {
  let profile: KernelProfile;
  let steps: Json[];
  try {
    ({ profile, steps } = readScriptHeader(script));
  } catch {
    return undefined;
  }
  const vms = new Map<string, VmTrack>();
  const devs = new Map<string, { vm: string; type: number }>();
  let current: string | undefined;
  const n = Math.min(upTo, steps.length, results.length);
  for (let i = 0; i < n; i++) {
    const step = steps[i];
    const result = results[i];
    if (!isObject(step) || !result || 'error' in result) break;
    try {
      current = performed(step, result, vms, devs, profile) ?? current;
    } catch {
      // The runner accepted this step, so its values read; a surprise here only skips it.
    }
    if (current !== undefined && !vms.has(current)) current = undefined;
  }
  if (current === undefined) return undefined;
  return { vm: current, layout: toLayout(profile, vms.get(current)!), upTo: n };
}

/** Applies one performed step; returns the VM it touched. */
function performed(
  step: Record<string, Json>,
  result: VgicStepResult,
  vms: Map<string, VmTrack>,
  devs: Map<string, { vm: string; type: number }>,
  profile: KernelProfile,
): string | undefined {
  const path = 'step';
  switch (step.op) {
    case 'create_vm': {
      const vm = readHandle(step, 'vm', path);
      const bits = step.ipa_bits === undefined ? 0 : Number(readNumber(step.ipa_bits, path, FIELD_NAMES.none, 255n));
      if (ok(result)) vms.set(vm, { ipaBits: bits, vcpuIds: [], regions: [], distLast: false, ranOnce: false });
      return vm;
    }
    case 'create_vcpu': {
      const vm = readHandle(step, 'vm', path);
      if (ok(result)) vms.get(vm)?.vcpuIds.push(Number(readNumber(step.vcpu_id, path, FIELD_NAMES.none, 0xffff_ffffn)));
      return vm;
    }
    case 'vcpu_init':
      return readHandle(step, 'vm', path);
    case 'run': {
      const vm = readHandle(step, 'vm', path);
      const t = vms.get(vm);
      // §6: the first run's vGIC checks tear the layout down when they fail; ENOEXEC
      // (vCPU not initialised) comes before them and changes nothing.
      if (t && !t.ranOnce && 'errno' in result && result.errno !== 'ENOEXEC') {
        t.regions = [];
        t.redist = undefined;
        if (profile !== '5.12') t.dist = undefined; // §8.4: 5.12 keeps the stale DIST base
        t.distLast = false;
      }
      if (t && !('errno' in result && result.errno === 'ENOEXEC')) t.ranOnce = true;
      return vm;
    }
    case 'create_device': {
      const vm = readHandle(step, 'vm', path);
      const type = Number(readNumber(step.type, path, FIELD_NAMES.type, 0xffff_ffffn));
      if (ok(result) && step.test !== true && (type === V3 || type === ITS))
        devs.set(readHandle(step, 'dev', path), { vm, type });
      return vm;
    }
    case 'set_attr': {
      const dev = devs.get(readHandle(step, 'dev', path));
      if (!dev) return undefined;
      const group = readNumber(step.group, path, FIELD_NAMES.group, 0xffff_ffffn);
      const buf = readBuffer(step, path);
      const t = vms.get(dev.vm);
      if (t && ok(result) && group === BigInt(GRP.ADDR) && buf !== null)
        applyAddr(t, dev.type, readAttr(step, group, path), buf & U64_MAX);
      return dev.vm;
    }
    case 'get_attr':
    case 'has_attr':
      return devs.get(readHandle(step, 'dev', path))?.vm;
    case 'close_device':
      devs.delete(readHandle(step, 'dev', path));
      return undefined;
    case 'close_vm': {
      const vm = readHandle(step, 'vm', path);
      vms.delete(vm);
      for (const [name, d] of devs) if (d.vm === vm) devs.delete(name);
      return undefined;
    }
    default:
      return undefined;
  }
}
