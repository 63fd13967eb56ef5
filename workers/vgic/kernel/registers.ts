/**
 * The distributor and redistributor register maps as userspace sees them through
 * GRP_DIST_REGS / GRP_REDIST_REGS (reference §4), after `vgic_v3_dist_registers` and
 * `vgic_v3_rd_registers` of `vgic-mmio-v3.c` (5.13).
 *
 * A userspace access is 32 bits wide. An offset with no register, or a per-interrupt
 * register beyond the VM's interrupt count, reads 0 and ignores writes (returning 0);
 * has_attr answers ENXIO for it.
 *
 * [U] lab choice: values are modelled only for GICR_TYPER, GICR_IIDR, GICD_CTLR,
 * GICD_TYPER, GICD_IIDR and PIDR2; every other register reads 0 and every write is
 * accepted and ignored (no interrupt state is modelled).
 */
import { VGIC_NR_PRIVATE_IRQS } from '../uapi.js';
import type { Vcpu, VmState } from './state.js';
import { gicrTyper, vgicHasIts } from './typer.js';

/** Access widths a register accepts (`VGIC_ACCESS_*`). */
const A8 = 1;
const A32 = 4;
const A64 = 8;

/** One `struct vgic_register_region`. */
interface RegisterRegion {
  name: string;
  offset: number;
  len: number;
  access: number;
  /** Bits per interrupt for per-interrupt registers; their reach depends on nr_irqs. */
  bitsPerIrq?: number;
  /** The 64-bit value at the register's own offset (the access picks its bytes). */
  read?: (vm: VmState, vcpu: Vcpu, offset: number) => bigint;
}

const PRODUCT_ID_KVM = 0x4bn;
const IMPLEMENTER_ARM = 0x43bn;
const GICD_PIDR2 = 0xffe8;
const idRegs = (_vm: VmState, _v: Vcpu, offset: number): bigint => (offset === GICD_PIDR2 ? 0x3bn : 0n);

/** `REGISTER_DESC_WITH_BITS_PER_IRQ_SHARED`: a RAZ/WI private part, then the SPI part. */
function shared(name: string, offset: number, bitsPerIrq: number, access: number): RegisterRegion[] {
  const priv = (bitsPerIrq * VGIC_NR_PRIVATE_IRQS) / 8;
  return [
    { name, offset, len: priv, access, bitsPerIrq },
    { name, offset: offset + priv, len: (bitsPerIrq * (1024 - VGIC_NR_PRIVATE_IRQS)) / 8, access, bitsPerIrq },
  ];
}

/** GICD_CTLR / GICD_TYPER / GICD_IIDR (`vgic_mmio_read_v3_misc`). */
function distMisc(vm: VmState, _v: Vcpu, offset: number): bigint {
  const vgic = vm.vgic!;
  switch (offset & 0xc) {
    case 0x0:
      return (1n << 4n) | (1n << 6n); // ARE_NS | DS; the distributor is never enabled here
    case 0x4: {
      const lines = BigInt(((vgic.nrSpis + VGIC_NR_PRIVATE_IRQS) >> 5) - 1);
      return vgicHasIts(vm) ? lines | (15n << 19n) | (1n << 17n) : lines | (9n << 19n);
    }
    case 0x8:
      return (PRODUCT_ID_KVM << 24n) | (2n << 12n) | IMPLEMENTER_ARM; // [I] implementation revision 2
    default:
      return 0n;
  }
}

const DIST_REGISTERS: RegisterRegion[] = [
  { name: 'GICD_CTLR', offset: 0x0, len: 16, access: A32, read: distMisc },
  { name: 'GICD_STATUSR', offset: 0x10, len: 4, access: A32 },
  ...shared('GICD_IGROUPR', 0x80, 1, A32),
  ...shared('GICD_ISENABLER', 0x100, 1, A32),
  ...shared('GICD_ICENABLER', 0x180, 1, A32),
  ...shared('GICD_ISPENDR', 0x200, 1, A32),
  ...shared('GICD_ICPENDR', 0x280, 1, A32),
  ...shared('GICD_ISACTIVER', 0x300, 1, A32),
  ...shared('GICD_ICACTIVER', 0x380, 1, A32),
  ...shared('GICD_IPRIORITYR', 0x400, 8, A32 | A8),
  ...shared('GICD_ITARGETSR', 0x800, 8, A32 | A8),
  ...shared('GICD_ICFGR', 0xc00, 2, A32),
  ...shared('GICD_IGRPMODR', 0xd00, 1, A32),
  ...shared('GICD_IROUTER', 0x6000, 64, A64 | A32),
  { name: 'GICD_IDREGS', offset: 0xffd0, len: 48, access: A32, read: idRegs },
];

const SGI = 0x10000;
const RD_REGISTERS: RegisterRegion[] = [
  { name: 'GICR_CTLR', offset: 0x0, len: 4, access: A32 },
  { name: 'GICR_IIDR', offset: 0x4, len: 4, access: A32, read: () => (PRODUCT_ID_KVM << 24n) | IMPLEMENTER_ARM },
  { name: 'GICR_TYPER', offset: 0x8, len: 8, access: A64 | A32, read: (vm, vcpu) => gicrTyper(vm, vcpu) },
  { name: 'GICR_STATUSR', offset: 0x10, len: 4, access: A32 },
  { name: 'GICR_WAKER', offset: 0x14, len: 4, access: A32 },
  { name: 'GICR_PROPBASER', offset: 0x70, len: 8, access: A64 | A32 },
  { name: 'GICR_PENDBASER', offset: 0x78, len: 8, access: A64 | A32 },
  { name: 'GICR_IDREGS', offset: 0xffd0, len: 48, access: A32, read: idRegs },
  { name: 'GICR_IGROUPR0', offset: SGI + 0x80, len: 4, access: A32 },
  { name: 'GICR_ISENABLER0', offset: SGI + 0x100, len: 4, access: A32 },
  { name: 'GICR_ICENABLER0', offset: SGI + 0x180, len: 4, access: A32 },
  { name: 'GICR_ISPENDR0', offset: SGI + 0x200, len: 4, access: A32 },
  { name: 'GICR_ICPENDR0', offset: SGI + 0x280, len: 4, access: A32 },
  { name: 'GICR_ISACTIVER0', offset: SGI + 0x300, len: 4, access: A32 },
  { name: 'GICR_ICACTIVER0', offset: SGI + 0x380, len: 4, access: A32 },
  { name: 'GICR_IPRIORITYR0', offset: SGI + 0x400, len: 32, access: A32 | A8 },
  { name: 'GICR_ICFGR0', offset: SGI + 0xc00, len: 8, access: A32 },
  { name: 'GICR_IGRPMODR0', offset: SGI + 0xd00, len: 4, access: A32 },
  { name: 'GICR_NSACR', offset: SGI + 0xe00, len: 4, access: A32 },
];

/** Which frame a register access goes to. */
export type RegisterFrame = 'dist' | 'redist';

/** `VGIC_ADDR_TO_INTID`: the first interrupt a per-interrupt register offset covers. */
function addrToIntid(offset: number, bitsPerIrq: number): number {
  const mask = (bitsPerIrq * 1024) / 8 - 1;
  return ((offset & mask) * 8) / bitsPerIrq;
}

/** `vgic_get_mmio_region` + `check_region` for a 32-bit access at `offset`. */
function findRegion(vm: VmState, frame: RegisterFrame, offset: number): RegisterRegion | undefined {
  const table = frame === 'dist' ? DIST_REGISTERS : RD_REGISTERS;
  const region = table.find((r) => offset >= r.offset && offset < r.offset + r.len);
  if (!region || !(region.access & A32) || offset % 4 !== 0) return undefined;
  if (region.bitsPerIrq === undefined) return region;
  const nrIrqs = (vm.vgic?.nrSpis ?? 0) + VGIC_NR_PRIVATE_IRQS;
  return addrToIntid(offset, region.bitsPerIrq) < nrIrqs ? region : undefined;
}

/** `vgic_v3_has_attr_regs` after the vcpu lookup: does a register answer at `offset`? */
export function hasRegister(vm: VmState, frame: RegisterFrame, offset: number): boolean {
  return offset % 4 === 0 && findRegion(vm, frame, offset) !== undefined;
}

/** A 32-bit userspace read (`vgic_uaccess_read`): the register's bytes, or 0. */
export function uaccessRead(vm: VmState, frame: RegisterFrame, vcpu: Vcpu, offset: number): bigint {
  const region = findRegion(vm, frame, offset);
  if (!region?.read) return 0n;
  const regOffset = offset - ((offset - region.offset) % (region.len >= 8 && region.access & A64 ? 8 : 4));
  const value = region.read(vm, vcpu, regOffset);
  const shift = BigInt((offset - regOffset) * 8);
  return (value >> shift) & 0xffff_ffffn;
}

/** The register name at `offset`, for messages and the editor ('' when none). */
export function registerName(frame: RegisterFrame, offset: number): string {
  const table = frame === 'dist' ? DIST_REGISTERS : RD_REGISTERS;
  return table.find((r) => offset >= r.offset && offset < r.offset + r.len)?.name ?? '';
}
