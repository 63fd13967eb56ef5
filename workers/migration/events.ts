/**
 * Event kinds of the migration engine (components `migration@<host>` and `wire`). One
 * event per batch, sync, handshake step or state change — never one per page: a batch
 * event carries its page counts and the GFN ranges it covered, and the page map reads
 * page states from the hosts' page-state arrays.
 */
/** What a batch of RAM records holds, counted the same way on the source (sent) and the target (loaded). */
export interface PageRecordCounts {
  pages: number;
  encrypted: number;
  normal: number;
  zero: number;
  bytes: number;
  streamOffset: number;
  /** GFN ranges covered, `0x100-0x13f` (inclusive), at most 16 listed. */
  gfns: string[];
  /** Successful per-page PSP commands counted instead of logged (`CMD STATUS` → n). */
  psp: Record<string, number>;
  pspNs: number;
}

declare module '../core/events.js' {
  interface EventKinds {
    /** QEMU's MigrationStatus changed on one side. */
    'migration.status': { side: 'source' | 'target'; from: string; to: string; error?: string };
    /** ram_save_setup: the RAM blocks announced, dirty logging on, bitmap all set. */
    'migration.setup': { blocks: { name: string; bytes: number }[]; totalBytes: number; slots: number; dirtyPages: number; streamOffset: number };
    /** One batch of RAM records on the source (one SECTION_PART, or a slice of the SECTION_END). */
    'migration.batch': PageRecordCounts & {
      section: 'part' | 'end';
      pass: number;
      ns: number;
      /** Why the batch ended: `time` (50 ms budget), `rate-limit`, `round` (bitmap empty), `sev-start`, `pages`. */
      ended: string;
    };
    /** migration_bitmap_sync. */
    'migration.sync': { count: number; newlyDirty: number; pendingPages: number; dirtyPagesRate: number; stage: 'setup' | 'iterate' | 'complete' };
    /** The convergence decision of one migration_iteration_run. */
    'migration.converge': { pendingBytes: number; thresholdBytes: number; bandwidth: number; downtimeLimitMs: number; decision: 'iterate' | 'complete' };
    /** Auto-converge throttled the vCPUs. */
    'migration.throttle': { percent: number; bytesDirtyPeriod: number; bytesDirtyThreshold: number };
    /** A PSP step of the migration (SEND_START query / real, RECEIVE_START, *_FINISH, SEND_CANCEL). */
    'migration.sev': { side: 'source' | 'target'; op: string; ok: boolean; detail: string };
    /** The shared-regions list went into or came out of the stream. */
    'migration.shared-regions': { side: 'source' | 'target'; regions: number; pages: number; list: string[]; streamOffset: number };
    /** A device section (the lab's guest state) was saved or loaded. */
    'migration.device': { side: 'source' | 'target'; idstr: string; bytes: number; streamOffset: number };
    /** One chunk of records applied on the target. */
    'migration.load': PageRecordCounts & { records: number };
    /** Why a side failed: the message QEMU reports, and where in the stream. */
    'migration.error': { side: 'source' | 'target'; message: string; offset?: number; record?: string };
    /** One side finished (completed, failed or cancelled) with its figures. */
    'migration.done': { side: 'source' | 'target'; status: string; totalTimeMs: number; downtimeMs?: number; transferred?: number };
    /** A chunk or signal put on the link. */
    'wire.send': { from: string; to: string; seq: number; type: string; bytes: number; offset?: number; sentAt: number; arriveAt: number | null; reason?: string };
    /** The link was cut. */
    'wire.cut': { link: string; at: number };
    /** A scripted operator step that is not a monitor command (fetching certificates, a fault). */
    'lab.operator': { host: string; action: string; detail: string };
    /** The man in the middle changed the stream. */
    'wire.tamper': { link: string; mode: string; detail: string; streamOffset: number };
  }
}
