/**
 * The vGIC part of the engine API, for the layout editor (reference §3–§7, §11): the
 * catalog (presets, kernel fixes, built-in scripts, geometry), layout evaluation on one
 * or every kernel profile, the `kvm-lab/vgic-layout` document, and a vgic-script player
 * that returns every step's result with the layout drawn at a cursor. Plain JSON in and
 * out; nothing here throws on bad input.
 */
import { DocumentError, checkHeader } from '../core/documents.js';
import type { Json } from '../core/events.js';
import {
  DEFAULT_PROFILE,
  KERNEL_PROFILES,
  VGIC_GEOMETRY,
  evaluateLayout,
  kernelFixes,
  matchesExpect,
  presets,
  runVgicScript,
  type KernelFixInfo,
  type KernelProfile,
  type LayoutEvaluation,
  type LayoutFailure,
  type VgicLayout,
  type VgicPreset,
  type VgicResult,
  readExpect,
  readScriptHeader,
  parseLayout,
  hex,
  BUILTIN_VGIC_SCRIPTS,
  scriptLayoutAt,
  type ScriptLayoutView,
} from '../vgic/index.js';

/** `format` of a saved layout. */
export const VGIC_LAYOUT_FORMAT = 'kvm-lab/vgic-layout';

/** A saved layout: the header, an optional name, and the {@link VgicLayout} fields. */
export type VgicLayoutDoc = { format: typeof VGIC_LAYOUT_FORMAT; version: 1; name?: string } & VgicLayout;

/** A built-in vgic-script, as listed in the script player's menu. */
export interface VgicScriptInfo {
  /** `5.13/06-test_last_bit_redist_regions`. */
  id: string;
  name: string;
  kernel: KernelProfile;
  description: string;
  steps: number;
}

/** Everything the editor needs once: presets, fixes, profiles, scripts, geometry. */
export interface VgicCatalog {
  profiles: KernelProfile[];
  defaultProfile: KernelProfile;
  presets: VgicPreset[];
  fixes: KernelFixInfo[];
  scripts: VgicScriptInfo[];
  geometry: { [K in keyof typeof VGIC_GEOMETRY]: (typeof VGIC_GEOMETRY)[K] };
}

/** One profile's verdict on a layout, for the profile comparison. */
export interface VgicProfileVerdict {
  profile: KernelProfile;
  ok: boolean;
  /** Set when the layout is malformed. */
  error?: string;
  failures: LayoutFailure[];
  /** Per placed vCPU (by base address): its frame base and GICR_TYPER low word and Last. */
  frames: { vcpuId: number; base: string; typer?: string; last?: boolean }[];
  unplaced: number[];
}

/** A script played up to a cursor. */
export interface VgicPlayback {
  /** The whole run (results stop at a step error). */
  result: VgicResult;
  /** Steps in the script (0 when it could not be read). */
  total: number;
  /** Per script step: does the result match `expect` (null: no expect, or no result). */
  matches: (boolean | null)[];
  /** The cursor, clamped to `0..total`. */
  upTo: number;
  /** The layout the script has built at the cursor, when a VM is open there. */
  view?: ScriptLayoutView;
}

/** The keys of a {@link VgicLayout}. */
const LAYOUT_KEYS = [
  'profile',
  'vcpus',
  'vcpuIds',
  'ipaBits',
  'dist',
  'redist',
  'regions',
  'its',
  'order',
] as const satisfies readonly (keyof VgicLayout)[];

const errorText = (err: unknown) => (err instanceof Error ? err.message : String(err));

/** The editor's catalog. */
export function vgicCatalog(): VgicCatalog {
  const scripts: VgicScriptInfo[] = [];
  for (const [id, doc] of BUILTIN_VGIC_SCRIPTS) {
    const d = doc as { name?: string; description?: string; steps?: unknown[] };
    try {
      const h = readScriptHeader(doc);
      scripts.push({
        id,
        name: d.name ?? id,
        kernel: h.profile,
        description: d.description ?? '',
        steps: h.steps.length,
      });
    } catch {
      // A built-in that does not read is a build defect; the scripts test catches it.
    }
  }
  return {
    profiles: [...KERNEL_PROFILES],
    defaultProfile: DEFAULT_PROFILE,
    presets: presets(),
    fixes: kernelFixes(),
    scripts,
    geometry: { ...VGIC_GEOMETRY },
  };
}

/** A built-in script by id. */
export function vgicBuiltinScript(id: string): { ok: true; value: Json } | { ok: false; error: string } {
  const doc = BUILTIN_VGIC_SCRIPTS.get(id);
  if (doc === undefined)
    return {
      ok: false,
      error: `unknown built-in script "${id}" (known: ${[...BUILTIN_VGIC_SCRIPTS.keys()].join(', ')})`,
    };
  return { ok: true, value: JSON.parse(JSON.stringify(doc)) as Json };
}

/** Evaluates a layout (see `evaluateLayout`); never throws. */
export function vgicEvaluate(layout: unknown): LayoutEvaluation {
  try {
    return evaluateLayout(layout);
  } catch (err) {
    return { ...evaluateLayout(null), error: `internal error: ${errorText(err)}` };
  }
}

/** The layout evaluated under every kernel profile (the layout's own `profile` is ignored). */
export function vgicCompareProfiles(layout: unknown): VgicProfileVerdict[] {
  const base = typeof layout === 'object' && layout !== null && !Array.isArray(layout) ? layout : {};
  return KERNEL_PROFILES.map((profile) => {
    const e = vgicEvaluate({ ...base, profile });
    return {
      profile,
      ok: e.ok,
      ...(e.error !== undefined ? { error: e.error } : {}),
      failures: e.failures,
      frames: e.frames.map((f) => ({
        vcpuId: f.vcpuId,
        base: f.base,
        ...(f.typer ? { typer: hex(BigInt(f.typer.raw) & 0xffff_ffffn), last: f.typer.last } : {}),
      })),
      unplaced: e.unplaced,
    };
  });
}

/** Runs a vgic-script (reference §11); never throws. */
export function vgicRunScript(script: unknown, file?: string): VgicResult {
  try {
    return runVgicScript(script, file === undefined ? {} : { file });
  } catch (err) {
    return {
      format: 'kvm-lab/vgic-result',
      version: 1,
      file: file ?? '<script>',
      error: `internal error: ${errorText(err)}`,
      steps: [],
    };
  }
}

/** Runs `script` and returns every result, the expectation matches and the layout after `upTo` steps. */
export function vgicPlayScript(script: unknown, upTo: number): VgicPlayback {
  const result = vgicRunScript(script);
  let steps: Json[];
  try {
    steps = readScriptHeader(script).steps;
  } catch {
    steps = [];
  }
  const total = steps.length;
  const cursor = Math.max(0, Math.min(total, Math.floor(Number.isFinite(upTo) ? upTo : 0)));
  const matches = steps.map((raw, i) => {
    const expect = (raw as { expect?: Json } | null)?.expect;
    if (expect === undefined || result.steps[i] === undefined) return null;
    try {
      const e = readExpect(expect, `steps[${i}].expect`);
      return e ? matchesExpect(e, result.steps[i]) : null;
    } catch {
      return false;
    }
  });
  const view = result.error === undefined ? scriptLayoutAt(script, result.steps, cursor) : undefined;
  return { result, total, matches, upTo: cursor, ...(view ? { view } : {}) };
}

/**
 * Reads a `kvm-lab/vgic-layout` document: checks the header, then the layout fields,
 * reporting the path of the first problem (`regions[1].base: …`).
 */
export function vgicReadLayoutDoc(doc: unknown): { ok: true; value: VgicLayoutDoc } | { ok: false; error: string } {
  try {
    const d = checkHeader(doc, VGIC_LAYOUT_FORMAT, 1);
    if (d.name !== undefined && typeof d.name !== 'string') throw new DocumentError('name', 'expected a string');
    parseLayout(d);
    // Only the layout's own keys are kept; unknown keys are ignored like the script's.
    const layout: Record<string, Json> = {};
    for (const key of LAYOUT_KEYS) if (d[key] !== undefined && d[key] !== null) layout[key] = d[key];
    const name = typeof d.name === 'string' ? { name: d.name } : {};
    return {
      ok: true,
      value: { format: VGIC_LAYOUT_FORMAT, version: 1, ...name, ...(layout as unknown as VgicLayout) },
    };
  } catch (err) {
    return { ok: false, error: errorText(err) };
  }
}

/** Wraps a layout as a `kvm-lab/vgic-layout` document after checking it. */
export function vgicLayoutDoc(
  layout: unknown,
  name?: string,
): { ok: true; value: VgicLayoutDoc } | { ok: false; error: string } {
  const doc = {
    ...(typeof layout === 'object' && layout !== null ? layout : {}),
    format: VGIC_LAYOUT_FORMAT,
    version: 1,
    ...(name ? { name } : {}),
  };
  return vgicReadLayoutDoc(doc);
}
