/**
 * The incoming migration of one host (QEMU migration.c `qemu_start_incoming_migration`,
 * `process_incoming_migration_co` / `_bh`; reference §4.7 target, §5.6, §6.3 steps 1–2,
 * 11–12, 17, 19): a host started with `-incoming` (or `-incoming defer` and later
 * `migrate_incoming tcp:0:PORT`) accepts one connection, loads the stream chunk by chunk
 * (one `step()` applies up to 64 pages, RECEIVE_START being a step of its own), and at
 * EOF completes: RECEIVE_FINISH on the first start, run state running, the guest resumes.
 *
 * Failures end like QEMU's: "load of migration failed: <errno text>" and the process
 * exits (QEMU 6.x `process_incoming_migration_co`: `exit(EXIT_FAILURE)`), after the
 * detailed message naming the stream offset and the record; the connection is reset so
 * the source notices. The exit closes the VM's fd, so KVM tears the half-received SEV
 * context down (`sev_vm_destroy`: DEACTIVATE, DECOMMISSION, the ASID to KVM's reclaim
 * bitmap; psp-sev-api.md §12) — `Vmm.exit`.
 *
 * [U] lab choice: the failed target host stays an *exited* QEMU — no further steps, its
 * monitor is closed (lab-host.ts), a new connection is refused by the host (RST) — rather
 * than an idle QEMU with the VM gone; QEMU 6.x has no way to keep running after a failed
 * incoming load.
 */
import type { HostRuntime } from '../host/host-runtime.js';
import { StreamReader } from '../stream/reader.js';
import { SevIncoming } from '../sev/sev-incoming.js';
import type { WireEndpoint, WireMessage } from '../wire.js';
import type { MigrationStatus } from '../source/migration-source.js';
import { LoadError } from './load-sink.js';
import { RamSink } from './ram-sink.js';
import { StreamLoader } from './stream-loader.js';
import '../events.js';

/** Pages applied per step. */
export const LOAD_PAGES_PER_STEP = 64;

/** One host's incoming side. */
export class MigrationTarget {
  status: MigrationStatus = 'none';
  error: string | undefined;
  /** Listening for a connection (`-incoming tcp:...`, or after `migrate_incoming`). */
  listening = false;
  /** The URI listened on. */
  uri = '';
  startNs = 0;
  endNs = 0;
  private endpoint: WireEndpoint | undefined;
  private peer = '';
  private reader = new StreamReader();
  private loader: StreamLoader | undefined;
  private sev: SevIncoming | undefined;
  private connected = false;
  private ended: 'fin' | 'rst' | undefined;
  private endReason = '';
  /** More parsed work is at hand (the last run stopped for its budget, not for data). */
  private busy = false;
  private resume = false;

  constructor(
    private readonly rt: HostRuntime,
    /** Start the guest when the load completes (QEMU's default, no -S). */
    private readonly autostart = true,
  ) {}

  /** The link this host listens on, and the host at its other end. */
  attach(endpoint: WireEndpoint, peer: string): void {
    this.endpoint = endpoint;
    this.peer = peer;
  }

  /** `-incoming URI` / `migrate_incoming URI`: listen; an error text or undefined. */
  listen(uri: string): string | undefined {
    if (this.listening || this.status !== 'none') return 'The incoming migration has already been started';
    if (!/^tcp:[^:]*:\d+$/.test(uri)) return "Parameter 'uri' expects a valid migration protocol";
    this.listening = true;
    this.uri = uri;
    return undefined;
  }

  /** When this side can act next. */
  nextTime(): number {
    const now = this.rt.clock.now();
    if (this.resume || this.busy) return now;
    // Even after the load ended, a connection attempt gets its answer (the host's RST).
    const a = this.endpoint?.in.nextArrival();
    return a === undefined ? Infinity : Math.max(now, a);
  }

  /** One unit of work: take what arrived, apply up to 64 pages, or resume the guest. */
  step(): void {
    const t = this.nextTime();
    if (t !== Infinity) this.rt.clock.advanceTo(t);
    if (this.resume) return this.finishLoad();
    this.poll();
    if (!this.loader || this.status === 'failed' || this.status === 'completed') return;
    this.load();
  }

  private poll(): void {
    const ep = this.endpoint;
    if (!ep) return;
    for (let e = ep.in.poll(this.rt.clock.now()); e; e = ep.in.poll(this.rt.clock.now())) this.receive(e.msg);
  }

  private receive(m: WireMessage): void {
    if (m.type === 'syn') return this.accept();
    if (!this.connected || this.status === 'failed' || this.status === 'completed') return;
    if (m.type === 'data') this.reader.push(m.bytes);
    else if (m.type === 'fin') this.ended = 'fin';
    else if (m.type === 'rst') {
      this.ended = 'rst';
      this.endReason = m.reason;
    }
  }

  private accept(): void {
    const ep = this.endpoint!;
    if (!this.listening || this.connected) {
      this.rt.send(ep, this.peer, { type: 'rst', reason: 'Connection refused' });
      return;
    }
    this.connected = true;
    this.listening = false;
    this.rt.send(ep, this.peer, { type: 'syn-ack' });
    this.startNs = this.rt.clock.now();
    this.sev = new SevIncoming(this.rt.host.vmm);
    this.loader = new StreamLoader(this.reader, new RamSink(this.rt, this.sev));
    this.setStatus('active');
  }

  private load(): void {
    const loader = this.loader!;
    const offset = this.reader.offset;
    let progress;
    try {
      const { result, muted } = this.rt.log.batch(() => loader.run(LOAD_PAGES_PER_STEP));
      progress = result;
      this.emitLoad(offset, muted.commands, muted.pspNs);
    } catch (e) {
      if (e instanceof LoadError) return this.fail(e.message, 'Invalid argument', e.offset, e.record);
      // A bug, not bad input: report it where it happened and keep the engine's API total.
      return this.fail(`internal error: ${e instanceof Error ? e.message : String(e)}`, 'Invalid argument', loader.recordOffset, loader.recordName);
    }
    this.busy = progress === 'budget' || progress === 'pause';
    if (progress === 'done') this.resume = true;
    else if (progress === 'need-more' && this.ended) {
      if (loader.atVmdesc) this.resume = true;
      else {
        const why = this.ended === 'rst' ? this.endReason : 'end of stream';
        this.fail(`${why}: the stream ended at offset ${this.reader.offset + this.reader.available} inside the ${loader.recordName} that starts at offset ${loader.recordOffset}`, 'Input/output error', loader.recordOffset, loader.recordName);
      }
    }
  }

  private emitLoad(offset: number, psp: Record<string, number>, pspNs: number): void {
    const c = this.loader!.takeCounts();
    if (c.records === 0) return;
    this.rt.emit('migration.load', { ...c, bytes: this.reader.offset - offset, streamOffset: offset, gfns: [], psp, pspNs });
  }

  /** `process_incoming_migration_bh`: completed; with autostart, RECEIVE_FINISH and the guest runs. */
  private finishLoad(): void {
    this.resume = false;
    this.busy = false;
    this.endNs = this.rt.clock.now();
    this.setStatus('completed');
    const vmm = this.rt.host.vmm;
    if (this.autostart) {
      const err = this.sev?.receiveFinish();
      this.rt.emit('migration.sev', { side: 'target', op: 'RECEIVE_FINISH', ok: !err, detail: err ?? 'guest RUPDATE → RUNNING (the pending ACTIVATE completes)' });
      if (err) this.rt.say(`qemu-system-x86_64: ${err}`);
      vmm.setRunstate(err ? 'paused' : 'running');
    } else vmm.setRunstate('paused');
    this.rt.emit('migration.done', { side: 'target', status: 'completed', totalTimeMs: Math.floor((this.endNs - this.startNs) / 1e6) });
  }

  /** The load failed: QEMU's two lines, the reset, and the process exits (with KVM's SEV teardown). */
  fail(detail: string, errno: string, offset?: number, record?: string): void {
    if (this.status === 'failed') return;
    this.error = detail;
    this.busy = false;
    this.rt.emit('migration.error', { side: 'target', message: detail, ...(offset !== undefined ? { offset } : {}), ...(record ? { record } : {}) });
    this.rt.say(`qemu-system-x86_64: ${detail}`);
    this.rt.say(`qemu-system-x86_64: load of migration failed: ${errno}`);
    if (this.endpoint) this.rt.send(this.endpoint, this.peer, { type: 'rst', reason: 'Connection reset by peer' });
    this.endNs = this.rt.clock.now();
    this.setStatus('failed');
    this.rt.host.vmm.exit();
    this.rt.emit('migration.done', { side: 'target', status: 'failed', totalTimeMs: Math.floor((this.endNs - this.startNs) / 1e6) });
  }

  private setStatus(to: MigrationStatus): void {
    if (to === this.status) return;
    this.rt.emit('migration.status', { side: 'target', from: this.status, to, ...(this.error ? { error: this.error } : {}) });
    this.status = to;
  }
}
