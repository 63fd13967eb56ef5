/**
 * The numbers of the KVM arm64 vGIC userspace ABI, by their kernel names, and the
 * lab's host model (reference `vgic-v3-redist.md` §1, §10).
 *
 * Names are the uapi macro names so a reader can grep `include/uapi/linux/kvm.h` and
 * `arch/arm64/include/uapi/asm/kvm.h`; scripts (§11.2) may use any of them.
 */

/** `enum kvm_device_type` values the lab knows (§1; the numbers are [I] in the reference). */
export const KVM_DEV_TYPE = {
  KVM_DEV_TYPE_ARM_VGIC_V2: 5,
  KVM_DEV_TYPE_ARM_VGIC_V3: 7,
  KVM_DEV_TYPE_ARM_VGIC_ITS: 8,
} as const;

/** `KVM_CREATE_DEVICE_TEST`, the "only check the type" flag of KVM_CREATE_DEVICE. */
export const KVM_CREATE_DEVICE_TEST = 1;

/** Attribute groups `KVM_DEV_ARM_VGIC_GRP_*`. */
export const KVM_DEV_ARM_VGIC_GRP = {
  KVM_DEV_ARM_VGIC_GRP_ADDR: 0,
  KVM_DEV_ARM_VGIC_GRP_DIST_REGS: 1,
  KVM_DEV_ARM_VGIC_GRP_CPU_REGS: 2,
  KVM_DEV_ARM_VGIC_GRP_NR_IRQS: 3,
  KVM_DEV_ARM_VGIC_GRP_CTRL: 4,
  KVM_DEV_ARM_VGIC_GRP_REDIST_REGS: 5,
  KVM_DEV_ARM_VGIC_GRP_CPU_SYSREGS: 6,
  KVM_DEV_ARM_VGIC_GRP_LEVEL_INFO: 7,
  KVM_DEV_ARM_VGIC_GRP_ITS_REGS: 8,
} as const;

/** Address types, the `attr` of `GRP_ADDR`. */
export const KVM_VGIC_ADDR_TYPE = {
  KVM_VGIC_V2_ADDR_TYPE_DIST: 0,
  KVM_VGIC_V2_ADDR_TYPE_CPU: 1,
  KVM_VGIC_V3_ADDR_TYPE_DIST: 2,
  KVM_VGIC_V3_ADDR_TYPE_REDIST: 3,
  KVM_VGIC_ITS_ADDR_TYPE: 4,
  KVM_VGIC_V3_ADDR_TYPE_REDIST_REGION: 5,
} as const;

/** `GRP_CTRL` attributes. */
export const KVM_DEV_ARM_CTRL = {
  KVM_DEV_ARM_VGIC_CTRL_INIT: 0,
  KVM_DEV_ARM_ITS_SAVE_TABLES: 1,
  KVM_DEV_ARM_ITS_RESTORE_TABLES: 2,
  KVM_DEV_ARM_VGIC_SAVE_PENDING_TABLES: 3,
  KVM_DEV_ARM_ITS_CTRL_RESET: 4,
} as const;

/** Shorthands used by the kernel model. */
export const V2 = KVM_DEV_TYPE.KVM_DEV_TYPE_ARM_VGIC_V2;
export const V3 = KVM_DEV_TYPE.KVM_DEV_TYPE_ARM_VGIC_V3;
export const ITS = KVM_DEV_TYPE.KVM_DEV_TYPE_ARM_VGIC_ITS;
export const GRP = {
  ADDR: 0,
  DIST_REGS: 1,
  CPU_REGS: 2,
  NR_IRQS: 3,
  CTRL: 4,
  REDIST_REGS: 5,
  CPU_SYSREGS: 6,
  LEVEL_INFO: 7,
  ITS_REGS: 8,
} as const;
export const ADDR = { V2_DIST: 0, V2_CPU: 1, DIST: 2, REDIST: 3, ITS: 4, REDIST_REGION: 5 } as const;
export const CTRL_INIT = 0;
export const SAVE_PENDING_TABLES = 3;

/** Linux errno names the lab returns (§11.4), with their numbers. */
export const ERRNO = {
  EPERM: 1,
  ENOENT: 2,
  ENXIO: 6,
  E2BIG: 7,
  ENOEXEC: 8,
  ENOMEM: 12,
  EFAULT: 14,
  EBUSY: 16,
  EEXIST: 17,
  ENODEV: 19,
  EINVAL: 22,
} as const;

/** One of the errno names of {@link ERRNO}. */
export type ErrnoName = keyof typeof ERRNO;

/** The errno name for a number (either sign), if the lab knows it. */
export function errnoName(n: number): ErrnoName | undefined {
  const abs = Math.abs(n);
  return (Object.keys(ERRNO) as ErrnoName[]).find((k) => ERRNO[k] === abs);
}

/** Frame sizes and alignments (§1), in bytes. */
export const SZ_64K = 0x10000n;
export const KVM_VGIC_V3_DIST_SIZE = 0x10000n;
export const KVM_VGIC_V3_REDIST_SIZE = 0x20000n;
export const KVM_VGIC_V3_ITS_SIZE = 0x20000n;

/** `VGIC_ADDR_UNDEF`: an address that was never set reads back as all ones. */
export const VGIC_ADDR_UNDEF = 0xffff_ffff_ffff_ffffn;

/** Limits (§1, §10). */
export const VGIC_V3_MAX_CPUS = 512;
export const KVM_MAX_VCPUS = 512;
export const VGIC_NR_PRIVATE_IRQS = 32;
export const VGIC_MAX_RESERVED = 1023;
/** `VGIC_NR_IRQS_LEGACY`: the interrupt count CTRL_INIT picks when NR_IRQS was never set. */
export const VGIC_NR_IRQS_LEGACY = 256;

/** The lab's host (§10): GICv3 with ITS, no GICv2 emulation, 48-bit IPA limit. */
export const HOST = {
  kvmIpaLimit: 48,
  defaultIpaBits: 40,
  minIpaBits: 32,
  canEmulateGicv2: false,
} as const;

/** REDIST_REGION value layout (§1): count 63:52, base 51:16, flags 15:12, index 11:0. */
export const REDIST_REGION = {
  countShift: 52n,
  countMask: 0xfff0_0000_0000_0000n,
  baseMask: 0x000f_ffff_ffff_0000n,
  flagsShift: 12n,
  flagsMask: 0xf000n,
  indexMask: 0xfffn,
} as const;

/** GICR_TYPER bits (§7). */
export const GICR_TYPER = {
  offset: 0x8,
  plpis: 1n << 0n,
  last: 1n << 4n,
  processorNumberShift: 8n,
  affinityShift: 32n,
} as const;
