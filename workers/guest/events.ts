/**
 * Event kinds of the guest kernel (component `guest`) and of OVMF (component `ovmf`).
 * Their boot messages also go to the serial console as `console.line` on `serial@<host>`.
 */
declare module '../core/events.js' {
  interface EventKinds {
    /** The guest changed the C-bit of a range in its page tables (`set_memory_*`). */
    'guest.set-memory': { func: string; gpa: string; npages: number; enc: boolean; mappings: number; notify: boolean };
    /** A boot phase of the guest kernel began. */
    'guest.phase': { phase: string };
    /** One tick of the workload. */
    'guest.workload': { pages: number; privatePages: number; sharedPages: number; touched: number };
    /** kexec into a new kernel. */
    'guest.kexec': { abi: string };
    /** A boot phase of OVMF began. */
    'ovmf.phase': { phase: string };
    /** OVMF's `KvmDetectSevLiveMigrationFeature` result. */
    'ovmf.detect': { leaf: string; bit: number; name: string; found: boolean };
    /** UEFI GetVariable (by OVMF or, through runtime services, by the kernel). */
    'uefi.get-variable': { caller: string; name: string; guid: string; status: string; attributes?: string; data?: string };
    /** UEFI SetVariable. */
    'uefi.set-variable': { caller: string; name: string; guid: string; attributes: string; data: string; status: string };
  }
}

export {};
