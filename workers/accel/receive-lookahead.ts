/**
 * The packets a migration target is about to load, read ahead of its loader — the input
 * of the PSP's receive look-ahead (psp/ahead/receive-ahead.ts). It is a second
 * {@link StreamLoader} over a second reader, fed the same chunks as they reach the host,
 * whose sink only records where each encrypted page goes (reference §4.6): nothing is
 * applied, and a stream it cannot parse just ends the look-ahead (the real loader reports
 * the error). RECEIVE_START's output is taken once, as the real sink takes it.
 */
import { StreamReader } from '../migration/stream/reader.js';
import { StreamLoader } from '../migration/target/stream-loader.js';
import type { LoadBlock, LoadSink } from '../migration/target/load-sink.js';
import type { LabHost } from '../migration/lab-host.js';
import type { ReceiveItem } from '../psp/ahead/index.js';

/** Pages parsed per {@link ReceiveLookahead.take} call at most. */
const PARSE_PAGES = 256;

/** A sink that records encrypted pages and applies nothing. */
class RecordingSink implements LoadSink {
  readonly items: ReceiveItem[] = [];
  private started = false;

  constructor(private readonly host: LabHost) {}

  block(name: string): LoadBlock | undefined {
    return this.host.rt.host.vmm.ram.blocks.find((b) => b.name === name);
  }

  needsStart(): boolean {
    return !this.started;
  }

  plainPage(): undefined {
    return undefined;
  }

  receiveStart(): undefined {
    this.started = true;
    return undefined;
  }

  encryptedPage(b: LoadBlock, offset: number, hdr: Uint8Array, trans: Uint8Array): undefined {
    const spa = this.host.rt.host.vmm.mem.translate(b.hva + offset);
    // Copies: the reader's views are only valid until its next chunk.
    if (spa !== undefined) this.items.push({ spa, hdr: hdr.slice(), trans: trans.slice() });
    return undefined;
  }

  sharedRegions(): undefined {
    return undefined;
  }

  device(): undefined {
    return undefined;
  }
}

/** Reads a target's incoming stream ahead of its loader. */
export class ReceiveLookahead {
  private readonly reader = new StreamReader();
  private readonly sink: RecordingSink;
  private readonly loader: StreamLoader;
  private broken = false;

  constructor(host: LabHost) {
    this.sink = new RecordingSink(host);
    this.loader = new StreamLoader(this.reader, this.sink);
  }

  /** A stream chunk as it reached the host (the same bytes the loader will get). */
  feed(chunk: Uint8Array): void {
    if (!this.broken) this.reader.push(chunk);
  }

  /** The encrypted pages parsed so far and not taken yet (parsing up to a few hundred more first). */
  take(): ReceiveItem[] {
    if (!this.broken) {
      try {
        // 'pause' after the SEND_START output: keep reading, the loader's pause is for the UI.
        for (let i = 0; i < 4 && this.loader.run(this.loaderBudget()) === 'pause'; i++);
      } catch {
        this.broken = true;
      }
    }
    return this.sink.items.splice(0);
  }

  private loaderBudget(): number {
    // StreamLoader counts pages since its last takeCounts(); reset so each call parses a window.
    this.loader.takeCounts();
    return PARSE_PAGES;
  }
}
