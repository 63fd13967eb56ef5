/**
 * The link between two hosts, in virtual time: a TCP-like connection carrying the
 * migration stream as `Uint8Array` chunks one way and control signals both ways.
 *
 * Each direction is split into a sending half (`WireSender`: serialises chunks at the
 * link's bandwidth and stamps every envelope with its arrival time) and a receiving half
 * (`WireReceiver`: a queue in arrival order). In one process `Wire` joins them directly;
 * with one Web Worker per host, the sender half stays with the sending host and posts
 * each {@link WireEnvelope} over a MessageChannel to the receiver half (the bytes are
 * transferred), so a host's timing never depends on when its peer computes.
 *
 * [U] lab model: one chunk of send buffer (a send returns when the previous chunk has left
 * the wire), bandwidth and latency fixed per link; control messages cost latency only.
 * A cut link loses everything in flight and everything sent later; each end learns it as a
 * reset `detectNs` after the cut (the lab's stand-in for TCP's retransmission timeout).
 */

/** What travels on the link. */
export type WireMessage =
  | { type: 'syn' }
  | { type: 'syn-ack' }
  | { type: 'data'; bytes: Uint8Array; offset: number }
  | { type: 'fin' }
  | { type: 'rst'; reason: string };

/** A message with its virtual send and arrival times (ns) and its sequence number. */
export interface WireEnvelope {
  seq: number;
  sentAt: number;
  arriveAt: number;
  msg: WireMessage;
}

/** A link's speed. */
export interface LinkParams {
  /** Bytes per second. */
  bandwidth: number;
  /** One-way latency, ns. */
  latencyNs: number;
  /** [U] how long after a cut each end notices it, ns (default 1 s). */
  detectNs?: number;
}

/** The sending half of one direction. */
export class WireSender {
  private busyUntil = 0;
  private seq = 0;
  /** Virtual time the link went down (Infinity: up). */
  cutAt = Infinity;

  constructor(
    private link: LinkParams,
    /** Where envelopes go: the peer's receiver (directly, or through a MessageChannel). */
    private readonly post: (e: WireEnvelope) => void,
  ) {}

  /** Changes bandwidth / latency from now on. */
  setLink(link: LinkParams): void {
    this.link = link;
  }

  /** The link's parameters. */
  get params(): LinkParams {
    return this.link;
  }

  /**
   * Sends `msg` at virtual time `now`; returns when the send call returns (the previous
   * chunk has left the send buffer) and when the message arrives (Infinity: lost).
   */
  send(msg: WireMessage, now: number): { returnsAt: number; arriveAt: number } {
    // Everything leaves in order (a FIN or RST never overtakes data); only data blocks the sender.
    const start = Math.max(now, this.busyUntil);
    const returnsAt = msg.type === 'data' ? start : now;
    let txEnd = start;
    if (msg.type === 'data') {
      txEnd = start + (msg.bytes.length * 1e9) / this.link.bandwidth;
      this.busyUntil = txEnd;
    }
    const arriveAt = txEnd + this.link.latencyNs;
    const lost = returnsAt >= this.cutAt || arriveAt > this.cutAt;
    const env: WireEnvelope = { seq: this.seq++, sentAt: now, arriveAt: lost ? Infinity : arriveAt, msg };
    if (!lost) this.post(env);
    return { returnsAt, arriveAt: env.arriveAt };
  }
}

/** The receiving half of one direction: envelopes in arrival order. */
export class WireReceiver {
  private readonly queue: WireEnvelope[] = [];
  private head = 0;

  /** Accepts an envelope from the sending half. */
  deliver(e: WireEnvelope): void {
    this.queue.push(e);
  }

  /** Arrival time of the next envelope, or undefined when none is in flight. */
  nextArrival(): number | undefined {
    return this.head < this.queue.length ? this.queue[this.head].arriveAt : undefined;
  }

  /** The next envelope that has arrived by `now`, if any. */
  poll(now: number): WireEnvelope | undefined {
    if (this.head >= this.queue.length || this.queue[this.head].arriveAt > now) return undefined;
    const e = this.queue[this.head++];
    if (this.head > 1024 && this.head * 2 > this.queue.length) {
      this.queue.splice(0, this.head);
      this.head = 0;
    }
    return e;
  }

  /** Drops what is still in flight at a cut. */
  dropAfter(t: number): void {
    for (let i = this.head; i < this.queue.length; i++) if (this.queue[i].arriveAt > t) this.queue.length = i;
  }
}

/** One end of a connection: how it sends and where it receives. */
export interface WireEndpoint {
  readonly out: WireSender;
  readonly in: WireReceiver;
}

/**
 * What sits on the a → b path: sees every envelope the source side sends and returns what
 * goes on to the target side (a capture returns it unchanged; a man in the middle may
 * change, hold back or reorder data chunks).
 */
export type WireTap = (e: WireEnvelope) => WireEnvelope[];

/** A link between two hosts in one process: endpoint `a` (the source side) and `b`. */
export class Wire {
  readonly a: WireEndpoint;
  readonly b: WireEndpoint;
  /** Taps on the a → b path, applied in order. */
  readonly taps: WireTap[] = [];

  constructor(link: LinkParams) {
    const toB = new WireReceiver();
    const toA = new WireReceiver();
    const forward = (e: WireEnvelope): void => {
      let out = [e];
      for (const t of this.taps) out = out.flatMap(t);
      for (const x of out) toB.deliver(x);
    };
    this.a = { out: new WireSender(link, forward), in: toA };
    this.b = { out: new WireSender(link, (e) => toA.deliver(e)), in: toB };
  }

  /** Changes both directions' bandwidth and latency. */
  setLink(link: LinkParams): void {
    this.a.out.setLink(link);
    this.b.out.setLink(link);
  }

  /** Cuts the link at virtual time `t`: in-flight envelopes are lost; each end gets a reset after `detectNs`. */
  cut(t: number): void {
    const detect = this.a.out.params.detectNs ?? 1e9;
    for (const [end, peer] of [
      [this.a, this.b],
      [this.b, this.a],
    ] as const) {
      end.out.cutAt = Math.min(end.out.cutAt, t);
      peer.in.dropAfter(t);
      peer.in.deliver({ seq: -1, sentAt: t, arriveAt: t + detect, msg: { type: 'rst', reason: 'Connection timed out' } });
    }
  }
}
