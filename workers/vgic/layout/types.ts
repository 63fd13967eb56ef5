/**
 * The redistributor-layout API's data types (plain JSON, safe to send over comlink).
 * Addresses go in as `"0x…"` hex strings (or decimal strings, or non-negative integers up
 * to 2^53) and always come out as lowercase `0x` hex strings.
 */
import type { KernelProfile } from '../kernel/profiles.js';
import type { VgicScript } from '../script/format.js';
import type { ErrnoName } from '../uapi.js';

/** An address as input: `"0x080a0000"`, `"134873088"` or `134873088`. */
export type AddressInput = string | number;

/** A redistributor region of the REDIST_REGION attribute. */
export interface VgicLayoutRegion {
  /** Region index (bits 11:0; the kernel keeps 8 bits). Regions must come in index order. */
  index: number;
  /** Guest-physical base; bits 15:0 cannot be encoded and are dropped, bits 63:52 are refused. */
  base: AddressInput;
  /** Redistributors in the region, 1..4095 (0 is sent as is and refused by the kernel). */
  count: number;
}

/** A vGIC-v3 layout as the editor describes it. */
export interface VgicLayout {
  profile: KernelProfile;
  /** Number of vCPUs (0..1024; ids of 512 and above are refused by the kernel). */
  vcpus: number;
  /** vCPU ids in creation order (length = `vcpus`); default 0, 1, …, vcpus − 1. */
  vcpuIds?: number[];
  dist?: { base: AddressInput };
  /** The legacy single region (KVM_VGIC_V3_ADDR_TYPE_REDIST), sized by the vCPU count. */
  redist?: { base: AddressInput };
  /** REDIST_REGION regions, set in this array order. */
  regions?: VgicLayoutRegion[];
  /** An ITS device and its 128 KiB frame (makes GICR_TYPER.PLPIS read 1). */
  its?: { base: AddressInput };
  /** KVM_CREATE_VM IPA size; 0 or absent = the default 40 bits. */
  ipaBits?: number;
  /**
   * When the DIST base is set: `dist-first` (default) before the redistributors, so a
   * clash is refused at set time; `dist-last` after them, so it surfaces at KVM_RUN (as
   * in the selftests).
   */
  order?: 'dist-first' | 'dist-last';
}

/** The ioctl a step issues. */
export type LayoutIoctl = 'KVM_CREATE_VM' | 'KVM_CREATE_VCPU' | 'KVM_ARM_VCPU_INIT' | 'KVM_CREATE_DEVICE' | 'KVM_SET_DEVICE_ATTR' | 'KVM_GET_DEVICE_ATTR' | 'KVM_RUN';

/** What a step is for, so a UI can group or highlight steps. */
export type LayoutPhase = 'create_vm' | 'create_vcpu' | 'vcpu_init' | 'create_device' | 'set_attr' | 'ctrl_init' | 'run' | 'read_typer';

/** A step's outcome: success, or the errno with the sentence explaining it. */
export type LayoutStepResult = { ret: 0; value?: string } | { errno: ErrnoName; errnoValue: number; rule: string; explanation: string };

/** One ioctl of the sequence. */
export interface LayoutStep {
  index: number;
  ioctl: LayoutIoctl;
  phase: LayoutPhase;
  /** The file descriptor used: `kvm`, `vm`, `vcpu3`, `gic` or `its`. */
  fd: string;
  /** Human-readable: `KVM_SET_DEVICE_ATTR(group=…, attr=…, addr=0x…)`. */
  line: string;
  /** What the step places or reads: `dist`, `redist`, `region:1`, `its`, `vcpu:3`. */
  target?: string;
  result: LayoutStepResult;
}

/** A failed step, for the editor's error list. */
export interface LayoutFailure {
  step: number;
  ioctl: LayoutIoctl;
  phase: LayoutPhase;
  target?: string;
  errno: ErrnoName;
  /** The positive errno number (userspace sees −errnoValue from the ioctl). */
  errnoValue: number;
  rule: string;
  explanation: string;
}

/** GICR_TYPER of one vCPU as the selected kernel computes it. */
export interface LayoutTyper {
  /** The 64-bit value, hex. */
  raw: string;
  processorNumber: number;
  /** The Affinity_Value field (bits 63:32), hex. */
  affinity: string;
  aff: { aff3: number; aff2: number; aff1: number; aff0: number };
  last: boolean;
  plpis: boolean;
}

/** One redistributor frame (RD_base + SGI_base, 128 KiB) with the vCPU it serves. */
export interface LayoutFrame {
  base: string;
  /** First address after the frame. */
  end: string;
  regionIndex: number;
  legacy: boolean;
  slot: number;
  vcpuId: number;
  /** Absent only if the read failed (it cannot after a successful CTRL_INIT). */
  typer?: LayoutTyper;
}

/** A registered region just before KVM_RUN. */
export interface LayoutRegion {
  index: number;
  legacy: boolean;
  base: string;
  /** First address after the region (legacy: sized by the vCPUs now online). */
  end: string;
  /** Frames the region holds (legacy: the vCPU count). */
  frames: number;
  /** Frames handed out (`free_index`). */
  used: number;
}

/** The result of {@link evaluateLayout}. */
export interface LayoutEvaluation {
  /** Every step succeeded: the VM ran with this layout. */
  ok: boolean;
  profile: KernelProfile;
  /** The VM's IPA size in bits, and its size in bytes as hex. */
  ipaBits: number;
  ipaSize: string;
  /** Set when the layout itself is malformed (then there are no steps). */
  error?: string;
  steps: LayoutStep[];
  /** `steps[i].line`, for copying. */
  lines: string[];
  /** The same sequence as a vgic-script v1 document, every step expecting what it got. */
  script: VgicScript;
  failures: LayoutFailure[];
  /** The registered layout just before KVM_RUN (a failed run tears it down). */
  dist?: { base: string; end: string };
  its?: { base: string; end: string };
  regions: LayoutRegion[];
  /** Frames in use just before KVM_RUN, sorted by base address. */
  frames: LayoutFrame[];
  /** vCPUs (creation order) without a frame just before KVM_RUN. */
  unplaced: number[];
}

/** A named layout for the editor's preset menu. */
export interface VgicPreset {
  name: string;
  title: string;
  layout: VgicLayout;
}
