/**
 * The host's PSP driver (Linux `drivers/crypto/ccp/sev-dev.c`) as KVM uses it: build a
 * command buffer in a kernel page, hand its physical address to the mailbox, read the
 * buffer back (psp-sev-api.md §1, §12). Buffers are laid out by the PSP component's own
 * command table, so a field is named once in the whole lab.
 *
 * Also the driver's platform bring-up: KVM runs INIT itself on first use, then WBINVD on
 * every CPU and DF_FLUSH (§12 "KVM runs platform INIT itself (and DF_FLUSH after it)").
 */
import { CommandBuffer } from '../psp/buffers.js';
import { type BufferField, commandByName, type CommandSpec } from '../psp/command-table.js';
import { statusName } from '../psp/status.js';
import type { KernelMemory } from './kernel-memory.js';
import type { UserMemory } from './user-memory.js';

/** Field name → field, per command (the per-page commands look fields up by name). */
const FIELDS = new WeakMap<CommandSpec, Map<string, BufferField>>();

function fieldsOf(spec: CommandSpec): Map<string, BufferField> {
  let m = FIELDS.get(spec);
  if (!m) {
    m = new Map(spec.fields.map((f) => [f.name, f]));
    FIELDS.set(spec, m);
  }
  return m;
}

/** The mailbox as the driver drives it: command id + buffer address in, status out. */
export interface PspPort {
  issue(cmdId: number, bufferSpa: bigint): number;
}

/** The outcome of one PSP command. */
export interface PspCall {
  status: number;
  /** Reads a field of the buffer as the firmware left it (0 for an unknown field). */
  field(name: string): bigint;
}

/** Firmware status 0. */
export const SEV_RET_SUCCESS = 0;
/** Firmware status INVALID_LEN (the length-query answer, §1). */
export const SEV_RET_INVALID_LEN = 0x04;

/** The driver of one host's PSP. */
export class SevDev {
  /** Commands issued since the last {@link takeTrace} (`NAME→STATUS`), for KVM's events. */
  private trace: string[] = [];
  private initialized = false;
  private scratch = new Uint8Array(4096);

  constructor(
    private readonly port: PspPort,
    private readonly kmem: KernelMemory,
    /** WBINVD on every CPU (the hardware flag DF_FLUSH checks). */
    private readonly wbinvd: () => void,
  ) {}

  /** Issues command `name` with the given fields (by the PSP table's names); never throws. */
  call(name: string, fields: Record<string, number | bigint> = {}): PspCall {
    const spec = commandByName(name);
    if (!spec) throw new Error(`no PSP command ${name}`);
    const byName = fieldsOf(spec);
    const buf = new CommandBuffer(Math.max(spec.size, 1));
    for (const k in fields) {
      const f = byName.get(k);
      if (!f) throw new Error(`${name} has no field ${k}`);
      buf.set(f, fields[k]);
    }
    const page = this.kmem.alloc(buf.bytes.length);
    if (!page) {
      this.trace.push(`${name}→(no kernel memory)`);
      return { status: -1, field: () => 0n };
    }
    this.kmem.write(page.spa, buf.bytes);
    const status = this.port.issue(spec.id, spec.size === 0 ? 0n : BigInt(page.spa));
    const back = new CommandBuffer(this.kmem.read(page.spa, buf.bytes.length));
    this.kmem.free(page);
    this.trace.push(`${name}→${statusName(status)}`);
    return {
      status,
      field: (n) => {
        const f = byName.get(n);
        return f ? BigInt(back.get(f)) : 0n;
      },
    };
  }

  /** `sev_platform_init`: INIT once, then WBINVD + DF_FLUSH; returns the failing status or 0. */
  platformInit(): number {
    if (this.initialized) return SEV_RET_SUCCESS;
    const init = this.call('INIT', { flags: 0, tmr_paddr: 0n, tmr_len: 0 });
    // INVALID_PLATFORM_STATE: someone (a psp-script, another VM) already initialised it.
    if (init.status !== SEV_RET_SUCCESS && init.status !== 0x01) return init.status;
    this.wbinvd();
    const flush = this.call('DF_FLUSH');
    if (flush.status !== SEV_RET_SUCCESS) return flush.status;
    this.initialized = true;
    return SEV_RET_SUCCESS;
  }

  /**
   * `sev_flush_asids` (KVM's ASID recycling, §12): WBINVD on every CPU, then DF_FLUSH, so
   * the firmware lets deactivated ASIDs be activated again. Returns the DF_FLUSH status.
   */
  flushAsids(): number {
    this.wbinvd();
    return this.call('DF_FLUSH').status;
  }

  /** PLATFORM_STATUS (for `info sev`'s api version and build): undefined on failure. */
  platformStatus(): { apiMajor: number; apiMinor: number; build: number; state: number } | undefined {
    const r = this.call('PLATFORM_STATUS');
    if (r.status !== SEV_RET_SUCCESS) return undefined;
    return { apiMajor: Number(r.field('api_major')), apiMinor: Number(r.field('api_minor')), build: Number(r.field('build')), state: Number(r.field('state')) };
  }

  /** The PSP commands issued since the last call, and forget them. */
  takeTrace(): string[] {
    const t = this.trace;
    this.trace = [];
    return t;
  }

  /** Copies `data` into fresh kernel pages (psp_copy_user_blob); the caller frees. */
  blob(data: Uint8Array): { spa: number; size: number } | undefined {
    const page = this.kmem.alloc(data.length);
    if (page) this.kmem.write(page.spa, data);
    return page;
  }

  /** Zeroed kernel pages for `len` bytes (kzalloc), or undefined when the pool is full. */
  zeroBlob(len: number): { spa: number; size: number } | undefined {
    return this.kmem.alloc(len);
  }

  /**
   * psp_copy_user_blob: `len` bytes at user address `uaddr` into fresh kernel pages
   * (through a reused scratch when the user memory can copy into one). 'efault' when the
   * user span is not mapped, 'enomem' when the pool is full.
   */
  userBlob(user: UserMemory, uaddr: number, len: number): { spa: number; size: number } | 'efault' | 'enomem' {
    let data: Uint8Array | undefined;
    if (user.readInto) {
      data = this.scratchOf(len);
      if (!user.readInto(uaddr, data)) return 'efault';
    } else {
      data = user.read(uaddr, len);
      if (!data) return 'efault';
    }
    return this.blob(data) ?? 'enomem';
  }

  /** copy_to_user of `len` bytes of a kernel buffer at `spa` to user address `uaddr` (through a reused scratch). */
  copyToUser(user: UserMemory, uaddr: number, spa: number, len: number): boolean {
    const view = this.scratchOf(len);
    this.kmem.readInto(spa, view);
    return user.write(uaddr, view);
  }

  private scratchOf(len: number): Uint8Array {
    if (this.scratch.length < len) this.scratch = new Uint8Array(len);
    return this.scratch.length === len ? this.scratch : this.scratch.subarray(0, len);
  }

  /** Frees a blob or bounce buffer. */
  release(page: { spa: number; size: number } | undefined): void {
    if (page) this.kmem.free(page);
  }

  /** Raw bytes of a kernel page (what the PSP wrote there). */
  readKernel(spa: number, len: number): Uint8Array {
    return this.kmem.read(spa, len);
  }
}
