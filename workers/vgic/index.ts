/**
 * The vGIC-v3 engine's public API: JSON in, JSON out (plain data only, so it can be
 * exposed over comlink from a Web Worker). See `docs/vgic.md`.
 *
 * - {@link runVgicScript} / {@link checkVgicResult}: vgic-script v1 (reference §11);
 * - {@link evaluateLayout}: what KVM does with a redistributor layout, for the editor;
 * - {@link presets}, {@link VGIC_GEOMETRY}, {@link kernelFixes}: data for the editor.
 *
 * The kernel model itself (`KvmVm`) is exported for Node clients and tests.
 */
export { runVgicScript, readScriptHeader, type RunVgicOptions } from './script/runner.js';
export { readExpect } from './script/format.js';
export { scriptLayoutAt, type ScriptLayoutView } from './script/script-layout.js';
export { BUILTIN_VGIC_SCRIPTS } from './scripts/builtin.js';
export { parseLayout } from './layout/parse.js';
export { hex } from './u64.js';
export { checkVgicResult, matchesExpect, type VgicMismatch } from './script/check.js';
export {
  VGIC_SCRIPT_FORMAT,
  VGIC_RESULT_FORMAT,
  type VgicScript,
  type VgicStep,
  type VgicExpect,
  type VgicResult,
  type VgicStepResult,
} from './script/format.js';
export { evaluateLayout } from './layout/evaluate.js';
export { presets, qemuVirtLayout } from './layout/presets.js';
export { VGIC_GEOMETRY, ipaSizeBytes, kernelFixes, type KernelFixInfo } from './layout/geometry.js';
export type {
  AddressInput,
  VgicLayout,
  VgicLayoutRegion,
  VgicPreset,
  LayoutEvaluation,
  LayoutStep,
  LayoutStepResult,
  LayoutFailure,
  LayoutFrame,
  LayoutRegion,
  LayoutTyper,
  LayoutIoctl,
  LayoutPhase,
} from './layout/types.js';
export { KERNEL_PROFILES, DEFAULT_PROFILE, type KernelProfile } from './kernel/profiles.js';
export { ERRNO, type ErrnoName } from './uapi.js';
export { KvmVm } from './kernel/kvm-vm.js';
