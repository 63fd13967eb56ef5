/**
 * The outgoing migration of one host (QEMU migration/migration.c `migration_thread`,
 * savevm.c, ram.c, with the AMD v4 SEV hooks; reference §4.7, §5, §6.3): a state machine
 * advanced one meaningful unit per `step()` — connect, setup, one
 * `migration_iteration_run` (convergence check, maybe a dirty sync, one SECTION_PART
 * batch), a SEND_START step, a batch of the final copy, the tail (shared-regions list,
 * device state, EOF), the completion notifier (SEND_FINISH).
 *
 * It talks to the target only through its {@link WireEndpoint}: stream chunks out,
 * SYN-ACK / RST in. `nextTime()` tells the scheduler when it can act (its clock, the end of
 * a wait for the link or the rate limit, or the next signal's arrival).
 */
import { PageState } from '../../host/page-states.js';
import { QemuVm, SECTION_ID } from '../stream/format.js';
import { writeEos, writeSectionFooter, writeSectionHeader } from '../stream/records.js';
import { StreamWriter } from '../stream/writer.js';
import { SevOutgoing } from '../sev/sev-outgoing.js';
import type { WireEndpoint, WireMessage } from '../wire.js';
import type { HostRuntime } from '../host/host-runtime.js';
import { MigrationCounters } from './convergence.js';
import { MigrationBitmap } from './dirty-bitmap.js';
import { defaultParameters, type MigrationParameters } from './migrate-params.js';
import { batchEvent, RamSaver } from './ram-save.js';
import { writeSetup, writeTail } from './section-records.js';
import '../events.js';

/** QEMU's MigrationStatus values the lab uses. */
export type MigrationStatus = 'none' | 'setup' | 'active' | 'cancelling' | 'cancelled' | 'completed' | 'failed';

type Phase = 'idle' | 'connect' | 'setup' | 'iterate' | 'sev-query' | 'sev-start' | 'complete-stop' | 'complete-pages' | 'complete-tail' | 'notify' | 'failing' | 'done';

/** QERR_MIGRATION_ACTIVE. */
export const MIGRATION_ACTIVE = "There's a migration process in progress";

/** One host's outgoing migration (and its parameters, which outlive a migration). */
export class MigrationSource {
  status: MigrationStatus = 'none';
  readonly params: MigrationParameters = defaultParameters();
  readonly capabilities = new Set<string>();
  error: string | undefined;
  counters: MigrationCounters | undefined;
  bitmap: MigrationBitmap | undefined;
  sev: SevOutgoing | undefined;
  /** Virtual times (ns) of the start, the end of setup, the stop, and the end. */
  startNs = 0;
  setupNs = 0;
  downtimeStartNs = 0;
  endNs = 0;
  private phase: Phase = 'idle';
  private waitUntil = 0;
  private w = new StreamWriter();
  private saver: RamSaver | undefined;
  private endpoint: WireEndpoint | undefined;
  private peer = '';
  private section: 'part' | 'end' | null = null;
  private sectionDeadline = 0;
  private sessionLen = 0;
  private vmWasRunning = false;
  private cancelled = false;

  constructor(private readonly rt: HostRuntime) {}

  /** True while a migration is running (setup, active, cancelling). */
  get running(): boolean {
    return this.status === 'setup' || this.status === 'active' || this.status === 'cancelling';
  }

  /** `migrate -d tcp:PEER:PORT` over `endpoint`; an error text (nothing started) or undefined. */
  migrate(peer: string, endpoint: WireEndpoint): string | undefined {
    const vmm = this.rt.host.vmm;
    if (this.running) return MIGRATION_ACTIVE;
    if (!vmm.blockers.allowed) return vmm.blockers.list()[0];
    if (vmm.runstate === 'postmigrate' || vmm.runstate === 'inmigrate' || vmm.runstate === 'shutdown') return `the VM cannot be migrated in run state ${vmm.runstate}`;
    this.reset();
    this.endpoint = endpoint;
    this.peer = peer;
    this.startNs = this.rt.clock.now();
    this.setStatus('setup');
    this.send({ type: 'syn' });
    this.phase = 'connect';
    return undefined;
  }

  /** `migrate_cancel`: the thread notices at its next step. */
  cancel(): void {
    if (!this.running) return;
    this.cancelled = true;
    this.setStatus('cancelling');
    this.phase = 'failing';
    this.waitUntil = 0;
  }

  private reset(): void {
    this.w = new StreamWriter();
    this.error = undefined;
    this.cancelled = false;
    this.section = null;
    this.counters = undefined;
    this.downtimeStartNs = 0;
    this.endNs = 0;
  }

  /** When this side can act next (Infinity: idle or waiting for a signal not yet sent). */
  nextTime(): number {
    if (this.phase === 'idle' || this.phase === 'done') return Infinity;
    const now = this.rt.clock.now();
    if (this.phase === 'connect') return Math.max(now, this.endpoint?.in.nextArrival() ?? Infinity);
    return Math.max(now, this.waitUntil);
  }

  /** One unit of work. */
  step(): void {
    const clock = this.rt.clock;
    // The guest's ticks due before then ran as steps of their own (the scheduler orders them).
    const t = this.nextTime();
    if (t !== Infinity) clock.advanceTo(t);
    if (this.phase !== 'failing' && this.pollSignals()) return;
    switch (this.phase) {
      case 'connect':
        return;
      case 'setup':
        return this.setup();
      case 'iterate':
        return this.iterationRun();
      case 'sev-query':
        return this.sevQuery();
      case 'sev-start':
        return this.sevStart();
      case 'complete-stop':
        return this.completeStop();
      case 'complete-pages':
        return this.sendSectionBatch();
      case 'complete-tail':
        return this.completeTail();
      case 'notify':
        return this.notifyCompleted();
      case 'failing':
        return this.finishFailure();
    }
  }

  /** Reads SYN-ACK / RST from the target; true when the step is over. */
  private pollSignals(): boolean {
    const ep = this.endpoint!;
    for (let e = ep.in.poll(this.rt.clock.now()); e; e = ep.in.poll(this.rt.clock.now())) {
      if (e.msg.type === 'syn-ack' && this.phase === 'connect') {
        this.phase = 'setup';
        return false;
      }
      if (e.msg.type === 'rst') {
        const refused = this.phase === 'connect';
        this.fail(refused ? `Failed to connect to '${this.peer}': ${e.msg.reason}` : `Unable to write to socket: ${e.msg.reason}`, false);
        return true;
      }
    }
    return false;
  }

  /** ram_save_setup and the file header. */
  private setup(): void {
    const h = this.rt.host;
    this.vmWasRunning = h.vmm.runstate === 'running';
    this.sev = new SevOutgoing(h.vmm);
    const err = this.sev.setup({ pdh: this.params.sevPdh, platCert: this.params.sevPlatCert, amdCert: this.params.sevAmdCert });
    if (err) return this.fail(err);
    this.counters = new MigrationCounters(this.params, this.rt.clock.now(), true);
    this.bitmap = new MigrationBitmap(h.vmm.ram, h.pageStates);
    const bitmap = this.bitmap;
    const r = bitmap.setDirtyLogging(h.vmm.vm, true);
    if (r !== 0) return this.fail(`kvm_log_start: KVM_SET_USER_MEMORY_REGION failed (${r})`);
    h.vmm.onRamWrite = (b, off, len) => bitmap.markDirty(b, off, len);
    bitmap.setAll();
    this.sync('setup');
    this.saver = new RamSaver(h.vmm, bitmap, this.w, this.counters, this.sev, h.pageStates, () => this.rt.guest.catchUp(this.rt.clock.now()));
    const blocks = writeSetup(this.w, bitmap);
    this.counters.addBytes(this.w.pending);
    this.rt.emit('migration.setup', { blocks: blocks.map((b) => ({ name: b.name, bytes: b.size })), totalBytes: blocks.reduce((n, b) => n + b.size, 0), slots: bitmap.blocks.reduce((n, b) => n + b.mappings.length, 0), dirtyPages: bitmap.dirtyPages, streamOffset: 0 });
    this.flush();
    this.setupNs = this.rt.clock.now() - this.startNs;
    this.setStatus('active');
    this.phase = 'iterate';
  }

  /** `migration_bitmap_sync` (+ the dirty rate and auto-converge once a second). */
  private sync(stage: 'setup' | 'iterate' | 'complete'): void {
    const c = this.counters!;
    const added = this.bitmap!.syncFromKvm(this.rt.host.vmm.vm);
    const now = this.rt.clock.now();
    const t = c.afterSync(now, added, this.capabilities.has('auto-converge'));
    this.rt.emit('migration.sync', { count: c.dirtySyncCount, newlyDirty: added, pendingPages: this.bitmap!.dirtyPages, dirtyPagesRate: c.dirtyPagesRate, stage });
    if (t) {
      this.rt.guest.throttlePct = t.percent;
      this.rt.emit('migration.throttle', { percent: t.percent, bytesDirtyPeriod: t.dirty, bytesDirtyThreshold: t.threshold });
    }
  }

  /** `migration_iteration_run`: converge or iterate once. */
  private iterationRun(): void {
    if (this.section === 'part') return this.sendSectionBatch();
    const c = this.counters!;
    let pending = this.bitmap!.dirtyPages * 4096;
    let synced = false;
    if (pending < c.thresholdBytes) {
      this.sync('iterate');
      pending = this.bitmap!.dirtyPages * 4096;
      synced = true;
    }
    const iterate = pending > 0 && pending >= c.thresholdBytes;
    if (synced || !iterate) {
      this.rt.emit('migration.converge', { pendingBytes: pending, thresholdBytes: Math.floor(c.thresholdBytes), bandwidth: Math.floor(c.bandwidth * 1000), downtimeLimitMs: c.downtimeLimitMs, decision: iterate ? 'iterate' : 'complete' });
    }
    if (!iterate) {
      this.phase = 'complete-stop';
      return;
    }
    writeSectionHeader(this.w, QemuVm.SECTION_PART, SECTION_ID.ram);
    this.counters!.addBytes(5);
    this.section = 'part';
    this.sectionDeadline = this.rt.clock.now() + 50e6;
    this.sendSectionBatch();
  }

  /** One batch of the open section (SECTION_PART or the final SECTION_END). */
  private sendSectionBatch(): void {
    const t0 = this.rt.clock.now();
    const offset = this.w.offset;
    const part = this.section === 'part';
    const { result: r, muted } = this.rt.log.batch(() =>
      this.saver!.sendBatch(() => this.rt.clock.now(), part ? { deadlineNs: this.sectionDeadline, rateLimit: true } : { maxPages: 64, rateLimit: false }),
    );
    if (r.pages > 0 || r.ended === 'error') this.rt.emit('migration.batch', batchEvent(r, this.section ?? 'part', this.saver!.pass, offset, this.rt.clock.now() - t0, muted.commands, muted.pspNs));
    if (r.ended === 'error') return this.fail(r.error!);
    if (r.ended === 'sev-start') {
      this.flush();
      this.phase = 'sev-query';
      return;
    }
    if (part) {
      writeEos(this.w);
      writeSectionFooter(this.w, SECTION_ID.ram);
      this.counters!.addBytes(13);
      this.section = null;
      this.phase = 'iterate';
    } else if (r.ended === 'round') this.phase = 'complete-tail';
    this.flush();
    const c = this.counters!;
    c.update(this.rt.clock.now(), this.bitmap!.dirtyPages * 4096);
    if (part && c.rateLimited()) this.waitUntil = Math.max(this.waitUntil, c.windowEndNs());
  }

  /** SEND_START, first call: the session length (a handshake step of its own). */
  private sevQuery(): void {
    const q = this.sev!.querySessionLength();
    const ok = 'sessionLen' in q;
    this.rt.emit('migration.sev', { side: 'source', op: 'SEND_START (length query)', ok, detail: ok ? `session_len = ${q.sessionLen}` : q.error });
    if (!ok) return this.fail(q.error);
    this.sessionLen = q.sessionLen;
    this.phase = 'sev-start';
  }

  /** SEND_START for real: the session; the guest goes RUNNING → SUPDATE and keeps running. */
  private sevStart(): void {
    const r = this.sev!.start(this.sessionLen);
    const ok = 'policy' in r;
    this.rt.emit('migration.sev', { side: 'source', op: 'SEND_START', ok, detail: ok ? `policy 0x${r.policy.toString(16)}, session ${r.sessionLen} bytes` : r.error });
    if (!ok) return this.fail(r.error);
    this.phase = this.section === 'end' ? 'complete-pages' : 'iterate';
  }

  /** `migration_completion`: stop the vCPUs, final sync, open the SECTION_END. */
  private completeStop(): void {
    const h = this.rt.host;
    this.downtimeStartNs = this.rt.clock.now();
    if (h.vmm.runstate === 'running') h.vmm.setRunstate('finish-migrate');
    this.sync('complete');
    writeSectionHeader(this.w, QemuVm.SECTION_END, SECTION_ID.ram);
    this.counters!.addBytes(5);
    this.section = 'end';
    this.phase = 'complete-pages';
  }

  /** The list, EOS, the device state, EOF; the stream ends. */
  private completeTail(): void {
    this.counters!.addBytes(writeTail(this.rt, this.w, this.saver!.lastSentBlock));
    this.section = null;
    const end = this.flush();
    this.send({ type: 'fin' });
    // QEMU's completion ends when the last byte has left (qemu_fflush): the downtime ends there.
    this.endNs = Math.max(end, this.rt.clock.now());
    this.rt.clock.advanceTo(this.endNs);
    this.phase = 'notify';
  }

  /** The completion notifier: status completed, SEND_FINISH (QV4-07), run state postmigrate. */
  private notifyCompleted(): void {
    this.setStatus('completed');
    this.closeSev('finish');
    this.finishCommon();
    this.rt.host.vmm.setRunstate('postmigrate');
    this.rt.emit('migration.done', { side: 'source', status: 'completed', totalTimeMs: this.totalTimeMs(), downtimeMs: this.downtimeMs(), transferred: this.counters!.transferred });
    this.phase = 'done';
  }

  /** Fails the migration (the next step runs the notifier, unless `now`). */
  fail(message: string, tellPeer = true): void {
    if (!this.running || this.phase === 'failing') return;
    this.error = message;
    this.rt.emit('migration.error', { side: 'source', message });
    this.rt.say(`qemu-system-x86_64: ${message}`);
    if (tellPeer) this.send({ type: 'rst', reason: 'Connection reset by peer' });
    this.phase = 'failing';
  }

  /** The failure / cancel path: the SEV notifier per x-sev-on-failure, then resume the guest if it may run. */
  private finishFailure(): void {
    if (this.cancelled && !this.error) this.send({ type: 'rst', reason: 'Connection reset by peer' });
    this.setStatus(this.cancelled ? 'cancelled' : 'failed');
    this.closeSev(this.params.sevOnFailure);
    this.finishCommon();
    const vmm = this.rt.host.vmm;
    if (this.sev?.sent) {
      // [U] lab choice ("VM made unrunnable on failure", QV4 doc note): a SENT guest stays stopped.
      vmm.setRunstate('postmigrate');
      this.rt.say('qemu-system-x86_64: sev: SEND_FINISH after a failed migration: the guest is SENT and cannot run again');
    } else if (this.vmWasRunning && vmm.runstate !== 'running') vmm.setRunstate('running');
    this.rt.emit('migration.done', { side: 'source', status: this.status, totalTimeMs: this.totalTimeMs(), ...(this.counters ? { transferred: this.counters.transferred } : {}) });
    this.phase = 'done';
  }

  private closeSev(how: 'finish' | 'cancel'): void {
    const r = this.sev?.close(how);
    if (!r) return;
    const op = how === 'finish' ? 'SEND_FINISH' : 'SEND_CANCEL';
    this.rt.emit('migration.sev', { side: 'source', op, ok: r.ret === 0, detail: r.ret === 0 ? (how === 'finish' ? 'guest SUPDATE → SENT' : 'guest SUPDATE → RUNNING') : `ret=${r.ret} fw_error=${r.error}` });
  }

  private finishCommon(): void {
    const h = this.rt.host;
    this.endNs = this.endNs || this.rt.clock.now();
    h.vmm.onRamWrite = undefined;
    this.bitmap?.setDirtyLogging(h.vmm.vm, false);
    h.pageStates.setBits(0, h.pageStates.pages, PageState.MIGRATE_PENDING, false);
    this.rt.guest.throttlePct = 0;
  }

  /** Puts the writer's bytes on the wire; returns when the last byte leaves the link. */
  private flush(): number {
    if (this.w.pending === 0) return this.rt.clock.now();
    const offset = this.w.offset - this.w.pending;
    const bytes = this.w.take();
    const r = this.send({ type: 'data', bytes, offset });
    this.waitUntil = Math.max(this.waitUntil, r.returnsAt);
    return r.returnsAt + (bytes.length * 1e9) / this.endpoint!.out.params.bandwidth;
  }

  private send(msg: WireMessage): { returnsAt: number; arriveAt: number } {
    return this.rt.send(this.endpoint!, this.peer, msg);
  }

  private setStatus(to: MigrationStatus): void {
    if (to === this.status) return;
    this.rt.emit('migration.status', { side: 'source', from: this.status, to, ...(this.error ? { error: this.error } : {}) });
    this.status = to;
  }

  /** Total time so far (active) or of the migration (done), ms. */
  totalTimeMs(): number {
    const end = this.running ? this.rt.clock.now() : this.endNs;
    return Math.max(0, Math.floor((end - this.startNs) / 1e6));
  }

  /** The guest's downtime, ms (once completed). */
  downtimeMs(): number {
    return this.downtimeStartNs && this.endNs ? Math.floor((this.endNs - this.downtimeStartNs) / 1e6) : 0;
  }
}
