/**
 * `evaluateLayout`: what KVM does with a redistributor layout (reference §3–§7). The
 * layout becomes the ioctl sequence a VMM would issue — create the VM and vCPUs, the
 * GICv3 (and ITS) device, set the addresses, CTRL_INIT, the first KVM_RUN — run on the
 * kernel model of the selected profile; the result gives every step's answer, the
 * sentence behind each failure, and the frames with each vCPU's GICR_TYPER.
 */
import { DocumentError } from '../../core/documents.js';
import { KVM_VGIC_V3_DIST_SIZE, KVM_VGIC_V3_ITS_SIZE, KVM_VGIC_V3_REDIST_SIZE, ADDR, GRP, HOST, ITS, V3, VGIC_ADDR_UNDEF } from '../uapi.js';
import { hex, hexAddr, u64 } from '../u64.js';
import { ipaSize } from '../kernel/ipa-range.js';
import { frameBase } from '../kernel/placement.js';
import { regionSize } from '../kernel/rdist-regions.js';
import { decodeGicrTyper } from '../kernel/typer.js';
import { encodeRedistRegion } from '../kernel/vgic-addr.js';
import type { VmState } from '../kernel/state.js';
import type { KvmDevice } from '../kernel/device.js';
import { VGIC_SCRIPT_FORMAT } from '../script/format.js';
import { parseLayout, type ParsedLayout } from './parse.js';
import { LayoutRecorder } from './recorder.js';
import type { LayoutEvaluation, LayoutFrame, LayoutRegion, LayoutTyper } from './types.js';

const range = (base: bigint, size: bigint) => ({ base: hex(base), end: hex(u64(base + size)) });

/** Reads the full GICR_TYPER of a vCPU through GRP_REDIST_REGS (both words). */
function readTyper(gic: KvmDevice, mpidr: bigint): LayoutTyper | undefined {
  const word = (offset: bigint) => gic.getAttr(GRP.REDIST_REGS, (mpidr << 32n) | offset, 0n);
  const lo = word(0x8n);
  const hi = word(0xcn);
  if (!lo.ok || !hi.ok) return undefined;
  const t = decodeGicrTyper((hi.value! << 32n) | lo.value!);
  const aff = BigInt(t.affinity);
  return {
    raw: hex(t.raw),
    processorNumber: t.processorNumber,
    affinity: hex(aff),
    aff: { aff3: Number((aff >> 24n) & 0xffn), aff2: Number((aff >> 16n) & 0xffn), aff1: Number((aff >> 8n) & 0xffn), aff0: Number(aff & 0xffn) },
    last: t.last,
    plpis: t.plpis,
  };
}

/** The registered layout, read from the kernel state before KVM_RUN. */
function snapshot(vm: VmState, gic: KvmDevice | undefined) {
  const vgic = vm.vgic;
  const regions: LayoutRegion[] = (vgic?.regions ?? []).map((r) => ({
    index: r.index,
    legacy: r.count === 0,
    ...range(r.base, regionSize(vm, r)),
    frames: r.count === 0 ? vm.vcpus.length : r.count,
    used: r.freeIndex,
  }));
  const frames: LayoutFrame[] = vm.vcpus
    .filter((v) => v.rdreg)
    .map((v) => {
      const base = frameBase(v)!;
      const typer = gic ? readTyper(gic, v.mpidr) : undefined;
      return { ...range(base, KVM_VGIC_V3_REDIST_SIZE), regionIndex: v.rdreg!.index, legacy: v.rdreg!.count === 0, slot: v.slot, vcpuId: v.id, ...(typer ? { typer } : {}) };
    })
    .sort((a, b) => (BigInt(a.base) < BigInt(b.base) ? -1 : 1));
  const dist = vgic && vgic.distBase !== VGIC_ADDR_UNDEF ? range(vgic.distBase, KVM_VGIC_V3_DIST_SIZE) : undefined;
  return { regions, frames, dist, unplaced: vm.vcpus.filter((v) => !v.rdreg).map((v) => v.id) };
}

function runSequence(p: ParsedLayout, rec: LayoutRecorder): ReturnType<typeof snapshot> | undefined {
  if (!rec.createVm(p.ipaBits)) return undefined;
  for (const id of p.vcpuIds) if (rec.createVcpu(id)) rec.vcpuInit(id);
  if (!rec.createDevice(V3, 'gic')) return undefined;
  if (p.its !== undefined && rec.createDevice(ITS, 'its')) rec.setAddr('its', ADDR.ITS, p.its, 'its');
  const setDist = () => p.dist !== undefined && rec.setAddr('gic', ADDR.DIST, p.dist, 'dist');
  if (p.order === 'dist-first') setDist();
  if (p.redist !== undefined) rec.setAddr('gic', ADDR.REDIST, p.redist, 'redist', 'legacy region, one 128 KiB frame per vCPU');
  for (const r of p.regions) {
    const value = encodeRedistRegion({ index: r.index, flags: 0, base: r.base, count: r.count });
    const dropped = r.base & 0xffffn ? ', base bits 15:0 dropped by the encoding' : '';
    rec.setAddr('gic', ADDR.REDIST_REGION, value, `region:${r.index}`, `count=${r.count} base=${hexAddr(r.base & ~0xffffn)} index=${r.index}${dropped}`);
  }
  if (p.order === 'dist-last') setDist();
  rec.ctrlInit();
  const vm = rec.vm!.state;
  const before = snapshot(vm, rec.devices.get('gic'));
  const first = vm.vcpus[0];
  if (first && rec.run(first.id) && rec.failures.length === 0) {
    for (const v of vm.vcpus) rec.readTyperLow(v.id, v.mpidr);
  }
  return before;
}

/**
 * Evaluates a layout on the selected kernel. Never throws: a malformed layout gives
 * `error` and no steps; kernel refusals are steps with an errno and an explanation.
 */
export function evaluateLayout(layout: unknown): LayoutEvaluation {
  let p: ParsedLayout;
  try {
    p = parseLayout(layout);
  } catch (err) {
    const profile = (layout as { profile?: unknown } | null)?.profile;
    const msg = err instanceof DocumentError ? err.message : String(err);
    return {
      ok: false,
      profile: profile === '5.12' || profile === '5.16' ? profile : '5.13',
      ipaBits: HOST.defaultIpaBits,
      ipaSize: hex(ipaSize(HOST.defaultIpaBits)),
      error: msg,
      steps: [],
      lines: [],
      script: { format: VGIC_SCRIPT_FORMAT, version: 1, kernel: '5.13', steps: [] },
      failures: [],
      regions: [],
      frames: [],
      unplaced: [],
    };
  }
  const rec = new LayoutRecorder(p.profile);
  const before = runSequence(p, rec);
  const ipaBits = rec.vm?.state.ipaBits ?? HOST.defaultIpaBits;
  const its = p.its !== undefined && rec.failures.every((f) => f.target !== 'its') ? range(p.its, KVM_VGIC_V3_ITS_SIZE) : undefined;
  return {
    ok: rec.failures.length === 0,
    profile: p.profile,
    ipaBits,
    ipaSize: hex(ipaSize(ipaBits)),
    steps: rec.steps,
    lines: rec.steps.map((s) => s.line),
    script: { format: VGIC_SCRIPT_FORMAT, version: 1, name: 'layout', kernel: p.profile, steps: rec.scriptSteps },
    failures: rec.failures,
    ...(before?.dist ? { dist: before.dist } : {}),
    ...(its ? { its } : {}),
    regions: before?.regions ?? [],
    frames: before?.frames ?? [],
    unplaced: before?.unplaced ?? [],
  };
}
