/**
 * The page-crypto look-ahead of one migration host: between two steps of the host, it
 * starts the PSP's bulk work for what the host will do next — the source's next pages
 * (send-predict.ts), the packets that reached the target but are not loaded yet
 * (receive-lookahead.ts) — so that the crypto runs on the bulk lane (WebCrypto threads)
 * while this host or its peer is busy with something else. The steps themselves are
 * unchanged and synchronous; a step whose inputs were prepared just finds its results.
 */
import type { LabHost } from '../migration/lab-host.js';
import { predictSendPages } from './send-predict.js';
import { ReceiveLookahead } from './receive-lookahead.js';
import type { ReceiveItem } from '../psp/ahead/index.js';

/** Pages per prepare: one source batch (QEMU checks its budget every 64 pages). */
export const AHEAD_BATCH = 64;

/** The look-ahead of one host. */
export class HostAhead {
  private readonly lookahead: ReceiveLookahead;
  private pendingItems: ReceiveItem[] = [];
  private sending: Promise<unknown> | undefined;
  private receiving: Promise<unknown> | undefined;

  constructor(
    readonly host: LabHost,
    /** How many pages to keep prepared ahead of the source (default two batches). */
    private readonly depth = 2 * AHEAD_BATCH,
  ) {
    this.lookahead = new ReceiveLookahead(host);
  }

  /** A chunk of this host's incoming stream, as it reached the host. */
  feed(chunk: Uint8Array): void {
    this.lookahead.feed(chunk);
  }

  /**
   * Starts the look-ahead work that is useful now and not already running; resolves when
   * the work started here (and any still running) is done. Never rejects.
   */
  kick(): Promise<void> {
    const h = this.host;
    const psp = h.rt.host.psp;
    const vmm = h.rt.host.vmm;
    if (!this.sending && h.source.running && vmm.sev.state === 'send-update') {
      const want = this.depth - psp.ahead.send.queued;
      if (want >= AHEAD_BATCH) {
        const spas = predictSendPages(h, psp.ahead.send.continueAfter, want);
        if (spas.length > 0) this.sending = psp.ahead.prepareSend(vmm.sev.handle, spas).finally(() => (this.sending = undefined));
      }
    }
    if (h.target.status === 'active' || this.pendingItems.length > 0) this.pendingItems.push(...this.lookahead.take());
    if (!this.receiving && this.pendingItems.length > 0 && vmm.sev.state === 'receive-update') {
      const items = this.pendingItems;
      this.pendingItems = [];
      this.receiving = psp.ahead.prepareReceive(vmm.sev.handle, items).finally(() => (this.receiving = undefined));
    }
    return Promise.all([this.sending, this.receiving]).then(
      () => undefined,
      () => undefined,
    );
  }

  /** True while look-ahead work runs. */
  get busy(): boolean {
    return this.sending !== undefined || this.receiving !== undefined;
  }
}
