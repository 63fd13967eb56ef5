/**
 * Event kinds of the VMM (component `vmm@<host>`): how it handles each exit, its
 * shared-regions list, the migration blocker, the migration MSR, run state and QEMU's
 * SEV state. Monitor output goes out as `console.line` on console `monitor@<host>`.
 */
declare module '../core/events.js' {
  interface EventKinds {
    /** The shared-regions list changed (or a request was refused). GFNs in hex, end exclusive. */
    'vmm.shared-regions': {
      op: 'add' | 'remove' | 'reject';
      gfnStart: string;
      gfnEnd: string;
      /** What the list did: inserted / extended / duplicate / N nodes trimmed / why it refused. */
      result: string;
      /** Nodes in the list afterwards. */
      regions: number;
      /** Value the VMM puts in hypercall.ret / dma_sharing.ret. */
      ret: string;
    };
    /** A migration blocker was added or removed. */
    'vmm.migration-blocker': { action: 'add' | 'del'; reason: string };
    /** The VMM handled an access to the migration MSR (from a KVM_EXIT_X86_RDMSR/WRMSR). */
    'vmm.migration-msr': { dir: 'rdmsr' | 'wrmsr'; msr: string; name: string; value: string; migrationAllowed: boolean };
    /** QEMU's run state changed (`prelaunch`, `running`, `paused`, ...). */
    'vmm.runstate': { from: string; to: string };
    /** QEMU's SevState changed (`uninit`, `launch-update`, `launch-secret`, `running`, ...). */
    'vmm.sev-state': { from: string; to: string };
    /** The VMM set the guest's CPUID (which migration bits, and why). */
    'vmm.cpuid': { leaf: string; eax: string; bitsSet: string[]; note: string };
    /** A guest write reached the pflash device (KVM_EXIT_MMIO on a read-only slot). */
    'vmm.pflash-write': { unit: string; offset: string; len: number };
    /** The VMM loaded a firmware image into a flash unit (raw, before LAUNCH_UPDATE_DATA). */
    'vmm.load-firmware': { unit: string; gpa: string; size: number; sha256: string };
    /** The launch measurement QEMU fetched (base64, as `query-sev-launch-measure` shows it). */
    'vmm.launch-measure': { measurement: string };
  }
}

export {};
