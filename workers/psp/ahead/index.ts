/**
 * The PSP's look-ahead for migration pages (docs/ARCHITECTURE.md "Fast page crypto"): the
 * one asynchronous door into the firmware. A host that knows its next batch of
 * SEND_UPDATE_DATA pages, or has RECEIVE_UPDATE_DATA packets waiting, awaits
 * {@link PspAhead.prepareSend} / {@link PspAhead.prepareReceive} before it runs the batch;
 * the mailbox commands then take the results when — and only when — their inputs match.
 * Whether or how much was prepared changes no status, byte, event or virtual time.
 */
import { type BulkLane, SyncLane } from '../crypto/bulk/bulk-lane.js';
import { WebCryptoLane } from '../crypto/bulk/web-bulk.js';
import { type SeededRng } from '../../core/rng.js';
import { type Firmware } from '../firmware.js';
import { ReceiveAhead, type ReceiveItem } from './receive-ahead.js';
import { SendAhead, type AheadStats } from './send-ahead.js';

export { type ReceiveItem } from './receive-ahead.js';
export { type AheadStats } from './send-ahead.js';

/** The look-ahead of one PSP. */
export class PspAhead {
  readonly send: SendAhead;
  readonly receive: ReceiveAhead;
  /** Where the bulk crypto runs: WebCrypto where the platform has it, else the synchronous engines. */
  lane: BulkLane = WebCryptoLane.create() ?? new SyncLane();

  constructor(fw: Firmware, trng: SeededRng) {
    this.send = new SendAhead(fw, trng);
    this.receive = new ReceiveAhead(fw);
  }

  /** Seals ahead the pages (system addresses, in command order) guest `handle` is about to send. */
  prepareSend(handle: number, spas: readonly number[]): Promise<number> {
    return this.send.prepare(this.lane, handle, spas);
  }

  /** Opens ahead the packets guest `handle` is about to receive. */
  prepareReceive(handle: number, items: readonly ReceiveItem[]): Promise<number> {
    return this.receive.prepare(this.lane, handle, items);
  }

  /** Hits and misses so far, per side. */
  stats(): { send: AheadStats; receive: AheadStats; lane: string } {
    return { send: { ...this.send.stats }, receive: { ...this.receive.stats }, lane: this.lane.kind };
  }

  /** Forgets everything prepared (a channel closed). */
  clear(): void {
    this.send.clear();
    this.receive.clear();
  }
}
