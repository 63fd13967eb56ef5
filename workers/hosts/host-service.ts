/**
 * One migration host inside its own worker (docs/ARCHITECTURE.md "Hosts in workers"): the
 * same {@link LabHost} the one-process lab uses, its halves of the wires, and its
 * page-crypto look-ahead. The coordinator (worker-lab.ts) decides *when* the host steps —
 * exactly the one-process scheduler's order — and the host worker does the work.
 *
 * Wire: what the host sends is kept until its step ends and then posted to the peer's
 * worker with the chunk's buffer transferred (nothing reads it after the step; with a
 * tamper fault, which may keep packets for later, a copy goes instead). Before a step the
 * host waits until every envelope the coordinator says its peers have posted has arrived,
 * so it sees exactly what it would see in one process. Events go back with each reply.
 */
import { VirtualClock } from '../core/clock.js';
import { EventLog } from '../core/event-log.js';
import type { EngineEvent, EventKind, EventKinds } from '../core/events.js';
import type { InputResult } from '../core/machine.js';
import { SeededRng } from '../core/rng.js';
import { labAmdRoot, rogueAmdRoot } from '../psp/certs/index.js';
import { PageState } from '../host/page-states.js';
import { LabHost } from '../migration/lab-host.js';
import { WireReceiver, WireSender, type WireEndpoint, type WireEnvelope, type WireTap } from '../migration/wire.js';
import { streamTamperer } from '../migration/faults/stream-tamper.js';
import { HostAhead } from '../accel/host-ahead.js';
import { guestMemoryDigest, type GuestMemoryDigest } from '../migration/guest-image.js';
import type { AheadCounts, HostFacts, HostInit, HostOp, HostReply, HostServiceApi, WirePortLike } from './host-protocol.js';
import '../migration/events.js';

interface LinkEnd {
  readonly peer: string;
  readonly endpoint: WireEndpoint;
  readonly port: WirePortLike;
  readonly taps: WireTap[];
  /** Envelopes sent during the current call, posted when it ends. */
  readonly outbox: WireEnvelope[];
  posted: number;
  received: number;
  /** Envelopes arriving after a cut's time are lost (they were in flight). */
  cutAt: number;
  detectNs: number;
}

/** A host of the migration lab running in its own worker. */
export class HostService implements HostServiceApi {
  private host!: LabHost;
  private ahead!: HostAhead;
  private readonly log = new EventLog(new VirtualClock());
  private replied = 0;
  private readonly links = new Map<string, LinkEnd>();
  private arrivals: (() => void)[] = [];
  /** The look-ahead started while the other hosts stepped; a step of this host waits for it. */
  private kicking: Promise<void> | undefined;

  init(init: HostInit, ports: Record<string, WirePortLike>): HostReply {
    const connect = (host: string, port: string): WireEndpoint | string => {
      const l = this.links.get(host);
      if (l) return l.endpoint;
      if (init.hosts.includes(host)) return `Failed to connect to '${host}:${port}': No route to host`;
      return `address resolution failed for ${host}:${port}: Name or service not known`;
    };
    for (const l of init.links) {
      const port = ports[l.peer];
      const taps: WireTap[] = [];
      const outbox: WireEnvelope[] = [];
      const send = (e: WireEnvelope): void => {
        let out = [e];
        for (const t of taps) out = out.flatMap(t);
        outbox.push(...out);
      };
      const endpoint: WireEndpoint = { out: new WireSender(l.link, send), in: new WireReceiver() };
      const end: LinkEnd = { peer: l.peer, port, taps, outbox, endpoint, posted: 0, received: 0, cutAt: Infinity, detectNs: l.link.detectNs ?? 1e9 };
      port.addEventListener('message', (ev) => this.arrive(end, ev.data));
      port.start?.();
      this.links.set(l.peer, end);
    }
    const amdRoot = init.platform === undefined ? undefined : init.platform === 'rogue' ? rogueAmdRoot() : labAmdRoot();
    const opts = { host: { ...init.host, ...(amdRoot ? { amdRoot } : {}) }, ...(init.incoming ? { incoming: init.incoming } : {}), ...(init.autostart !== undefined ? { autostart: init.autostart } : {}) };
    this.host = new LabHost(init.name, this.log, SeededRng.fromSeed(init.seed), opts, connect);
    this.ahead = new HostAhead(this.host);
    for (const l of init.links) {
      const end = this.links.get(l.peer)!;
      if (l.side === 'in') this.host.target.attach(end.endpoint, l.peer);
      if (l.side === 'out' && l.tamper) {
        const from = this.host.rt;
        end.taps.push(streamTamperer(l.tamper, from.host.vmm.ram.blocks, (mode, detail, offset) => from.emit('wire.tamper', { link: `${init.name}-${l.peer}`, mode, detail, streamOffset: offset }, 'wire')));
      }
    }
    return this.reply(undefined);
  }

  async step(expect: Record<string, number>): Promise<HostReply> {
    await this.kicking;
    await this.arrived(expect);
    this.host.step();
    return this.reply(undefined);
  }

  async sync(expect: Record<string, number>): Promise<HostReply> {
    await this.arrived(expect);
    return this.reply(undefined);
  }

  async monitor(line: string, expect: Record<string, number>): Promise<HostReply<InputResult>> {
    await this.kicking;
    await this.arrived(expect);
    const r = this.host.monitor(line);
    return this.reply(r);
  }

  apply(op: HostOp): HostReply {
    const rt = this.host.rt;
    const vmm = rt.host.vmm;
    switch (op.op) {
      case 'advanceTo':
        rt.clock.advanceTo(op.t);
        break;
      case 'shared':
        if (op.action === 'add') vmm.shared.add(op.gfn, op.npages);
        else vmm.shared.remove(op.gfn, op.npages);
        break;
      case 'syncListed':
        vmm.syncListed(0, 2 ** 52);
        break;
      case 'cut': {
        // This host's half of Wire.cut: its sends stop, what is in flight to it is lost, a reset arrives.
        const l = this.links.get(op.peer);
        if (!l) break;
        l.endpoint.out.cutAt = Math.min(l.endpoint.out.cutAt, op.t);
        l.cutAt = Math.min(l.cutAt, op.t);
        l.endpoint.in.dropAfter(op.t);
        l.endpoint.in.deliver({ seq: -1, sentAt: op.t, arriveAt: op.t + l.detectNs, msg: { type: 'rst', reason: 'Connection timed out' } });
        break;
      }
      case 'emit':
        rt.emit(op.kind as EventKind, op.payload as EventKinds[EventKind], op.component);
        break;
    }
    return this.reply(undefined);
  }

  kick(): Promise<void> {
    this.kicking ??= this.ahead.kick().finally(() => (this.kicking = undefined));
    return this.kicking;
  }

  aheadStats(): AheadCounts {
    return this.host.rt.host.psp.ahead.stats();
  }

  /** The migrated-page count and other slow facts, for the machine's summary. */
  migratedPages(): number {
    return this.host.rt.host.pageStates.count(PageState.MIGRATED);
  }

  guestMemoryDigest(): GuestMemoryDigest {
    return guestMemoryDigest(this.host.rt.host);
  }

  pageStates(): Uint8Array {
    return this.host.rt.host.pageStates.copy();
  }

  private arrive(l: LinkEnd, e: WireEnvelope): void {
    l.received++;
    if (e.arriveAt > l.cutAt) return;
    l.endpoint.in.deliver(e);
    if (e.msg.type === 'data') this.ahead.feed(e.msg.bytes);
    const waiting = this.arrivals;
    this.arrivals = [];
    for (const w of waiting) w();
  }

  /** Resolves once every envelope `expect` counts (per peer) has arrived. */
  private arrived(expect: Record<string, number>): Promise<void> {
    const ready = (): boolean => Object.entries(expect).every(([peer, n]) => (this.links.get(peer)?.received ?? n) >= n);
    if (ready()) return Promise.resolve();
    return new Promise((resolve) => {
      const check = (): void => {
        if (ready()) resolve();
        else this.arrivals.push(check);
      };
      this.arrivals.push(check);
    });
  }

  private reply<T>(value: T): HostReply<T> {
    for (const l of this.links.values()) {
      for (const e of l.outbox) {
        const keep = l.taps.length > 0 && e.msg.type === 'data';
        const env = keep && e.msg.type === 'data' ? { ...e, msg: { ...e.msg, bytes: e.msg.bytes.slice() } } : e;
        l.port.postMessage(env, env.msg.type === 'data' ? [env.msg.bytes.buffer as ArrayBuffer] : []);
        l.posted++;
      }
      l.outbox.length = 0;
    }
    const events: EngineEvent[] = this.log.slice(this.replied);
    this.replied = this.log.length;
    return { events, facts: this.facts(), value };
  }

  private facts(): HostFacts {
    const h = this.host;
    const v = h.rt.host.vmm;
    const s = h.source;
    const c = s.counters;
    const posted: Record<string, number> = {};
    const received: Record<string, number> = {};
    for (const l of this.links.values()) {
      posted[l.peer] = l.posted;
      received[l.peer] = l.received;
    }
    return {
      clock: h.rt.clock.now(),
      nextTime: h.nextTime(),
      posted,
      received,
      booting: h.rt.host.booting,
      guestRunning: h.rt.guest.running,
      runstate: v.runstate,
      sevState: v.sev.state,
      listening: h.target.listening,
      source: {
        status: s.status,
        running: s.running,
        error: s.error ?? null,
        downtimeStartNs: s.downtimeStartNs,
        transferred: c?.transferred ?? 0,
        dirtyPages: s.bitmap?.dirtyPages ?? 0,
        dirtySyncCount: c?.dirtySyncCount ?? 0,
        throttle: c?.throttlePct ?? 0,
        sent: s.sev?.sent ?? false,
      },
      target: { status: h.target.status, error: h.target.error ?? null },
      migratedPages: -1,
    };
  }
}
