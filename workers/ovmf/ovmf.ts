/**
 * The lab's OVMF: the firmware phases that matter for SEV live migration (reference
 * sev-migration-flow.md §3.6, §6.1 step 3):
 *
 * - SEC/PEI: SEV detection (CPUID 0x8000001F) and, in a build with the feature,
 *   `KvmDetectSevLiveMigrationFeature()`: find "KVMKVMKVM" at 0x40000000 and test the
 *   gate bit of 0x40000001 EAX (17 upstream; [U] 16 for the v11 pairing, abi-v11.ts);
 * - DXE, AmdSevDxe: clear the C-bit of MMIO / NonExistent ranges and of its fw_cfg DMA
 *   page, reporting each with `SetMemoryEncDecHypercall3` (hypercall 12, 4K hint) — only
 *   when the feature was detected;
 * - DXE, PlatformDxe `AmdSevSetRuntimeConfig()`: SetVariable(`SevLiveMigrationEnabled`,
 *   gMemEncryptGuid, NV|BS|RT, 1 byte TRUE) — only with the feature (§8: the lab models
 *   "OVMF sets it at DXE");
 * - BDS: load the kernel and hand over, on the EFI path (EFI stub, runtime services stay)
 *   or the non-EFI path (the legacy Linux boot protocol: no EFI for the kernel).
 *
 * The variable store lives in the varstore flash: OVMF's writes reach it as MMIO exits.
 */
import { bytesToHex } from '@noble/hashes/utils.js';
import type { SevMigrationAbi } from '../kvm/uapi/abi.js';
import type { Vcpu } from '../kvm/vcpu.js';
import type { Emitter } from '../host/context.js';
import type { SerialConsole } from '../guest/printk.js';
import type { BootStep } from '../guest/steps.js';
import { FLASH1_BASE, OVMF_VARS_SIZE, type X86Layout } from '../vmm/memory-layout.js';
import { attributeNames, efiStatusName, MEM_ENCRYPT_GUID, SEV_LIVE_MIGRATION_ATTRIBUTES, SEV_LIVE_MIGRATION_VARIABLE } from './efi.js';
import { firmwareSharedRanges } from './e820.js';
import { VariableStore, type GetVariableResult } from './varstore.js';
import '../guest/events.js';

/** How OVMF was built and how it boots the kernel. */
export interface OvmfOptions {
  /** The build has SEV live-migration support (detection, hypercalls, the variable). */
  feature: boolean;
  /** Hand over on the EFI path (else the legacy boot protocol). */
  efiBoot: boolean;
}

/** OVMF on one VM. */
export class Ovmf {
  readonly varstore: VariableStore;
  /** `MemEncryptSevLiveMigrationIsEnabled()` (cached after detection). */
  liveMigration = false;

  constructor(
    private readonly abi: SevMigrationAbi,
    private readonly vcpu: Vcpu,
    private readonly x86: X86Layout,
    private readonly serial: SerialConsole,
    private readonly emit: Emitter,
    readonly opts: OvmfOptions,
    /** OVMF's page tables: maps RAM pages with the C-bit clear (the lab's page-state view). */
    private readonly mapDecrypted: (gpa: number, npages: number) => void = () => {},
  ) {
    this.varstore = new VariableStore(OVMF_VARS_SIZE, (off, bytes) => this.vcpu.write(FLASH1_BASE + off, bytes, false));
  }

  /** The firmware's boot, from the reset vector to the hand-over. */
  bootSteps(): BootStep[] {
    return [
      () => {
        this.varstore.reset();
        this.emit('ovmf.phase', { phase: 'SEC/PEI' });
        const e = this.vcpu.cpuid(0x8000001f, 0, 'ovmf');
        if ((e.eax & 2) !== 0) this.serial.line('ovmf', `SecCoreStartupWithStack: SEV active, C-bit ${e.ebx & 0x3f}`);
      },
      () => {
        if (!this.opts.feature) {
          this.serial.line('ovmf', 'PlatformPei: this OVMF build has no SEV live-migration support');
          return;
        }
        const sig = this.vcpu.cpuid(0x40000000, 0, 'ovmf');
        const kvm = sig.ebx === 0x4b4d564b && sig.ecx === 0x564b4d56 && sig.edx === 0x4d;
        const bit = this.abi.ovmfGateBit;
        const found = kvm && ((this.vcpu.cpuid(0x40000001, 0, 'ovmf').eax >>> bit.bit) & 1) === 1;
        this.liveMigration = found;
        this.emit('ovmf.detect', { leaf: '0x40000001', bit: bit.bit, name: bit.name, found });
        this.serial.line('ovmf', `KvmDetectSevLiveMigrationFeature: Live Migration feature ${found ? 'supported' : 'not supported'}`);
      },
      () => {
        this.emit('ovmf.phase', { phase: 'DXE: AmdSevDxe' });
        const ranges = firmwareSharedRanges(this.x86);
        // The C-bit is cleared whether or not the host is told (MemEncryptSevClearPageEncMask).
        for (const r of ranges) this.mapDecrypted(r.gpa, r.size / 4096);
        if (!this.liveMigration) return;
        return ranges.map((r) => () => {
          const [a0, a1, a2] = this.abi.encodeRange(BigInt(r.gpa), BigInt(r.size / 4096), false);
          this.vcpu.vmmcall(BigInt(this.abi.hypercall.nr), a0, a1, a2, 0n, 'ovmf');
        });
      },
      () => {
        this.emit('ovmf.phase', { phase: 'DXE: PlatformDxe' });
        if (!this.liveMigration) return;
        const data = Uint8Array.of(1);
        const st = this.varstore.setVariable(SEV_LIVE_MIGRATION_VARIABLE, MEM_ENCRYPT_GUID, SEV_LIVE_MIGRATION_ATTRIBUTES, data);
        this.emit('uefi.set-variable', {
          caller: 'PlatformDxe AmdSevSetRuntimeConfig',
          name: SEV_LIVE_MIGRATION_VARIABLE,
          guid: MEM_ENCRYPT_GUID,
          attributes: attributeNames(SEV_LIVE_MIGRATION_ATTRIBUTES),
          data: bytesToHex(data),
          status: efiStatusName(st),
        });
      },
      () => {
        this.emit('ovmf.phase', { phase: this.opts.efiBoot ? 'BDS: EFI stub hand-over' : 'BDS: legacy boot protocol hand-over' });
        this.serial.line('ovmf', 'BdsDxe: loading Boot0001 "UEFI Misc Device" from PciRoot(0x0)/Pci(0x3,0x0)');
        this.serial.line('ovmf', 'BdsDxe: starting Boot0001 "UEFI Misc Device" from PciRoot(0x0)/Pci(0x3,0x0)');
        if (!this.opts.efiBoot) this.serial.line('ovmf', 'QemuLoadKernelImage: kernel has no EFI stub entry: LoadLinux (legacy boot protocol)');
        this.varstore.exitBootServices();
      },
    ];
  }

  /** EFI runtime GetVariable, called by the kernel (only on the EFI path). */
  runtimeGetVariable(name: string, guid: string, size: number): GetVariableResult {
    const r = this.varstore.getVariable(name, guid, size);
    this.emit('uefi.get-variable', {
      caller: 'kernel (EFI runtime services)',
      name,
      guid,
      status: efiStatusName(r.status),
      ...(r.attributes !== undefined ? { attributes: attributeNames(r.attributes) } : {}),
      ...(r.data ? { data: bytesToHex(r.data) } : {}),
    });
    return r;
  }
}
