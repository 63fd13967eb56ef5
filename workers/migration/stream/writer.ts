/**
 * The sending side of a QEMUFile: big-endian puts into one growable buffer that is handed
 * to the wire in chunks (`take()`). Pages are written straight into the buffer, so the
 * per-page path allocates nothing here; one chunk per batch is the only allocation.
 */

const INITIAL = 1 << 20;

/** A big-endian byte writer with an absolute stream offset. */
export class StreamWriter {
  private buf: Uint8Array;
  private view: DataView;
  private len = 0;
  /** Bytes handed out by take() so far. */
  private flushed = 0;

  constructor(initialCapacity = INITIAL) {
    this.buf = new Uint8Array(initialCapacity);
    this.view = new DataView(this.buf.buffer);
  }

  /** Stream offset of the next byte written. */
  get offset(): number {
    return this.flushed + this.len;
  }

  /** Bytes written and not yet taken. */
  get pending(): number {
    return this.len;
  }

  private room(n: number): void {
    if (this.len + n <= this.buf.length) return;
    let cap = this.buf.length * 2;
    while (cap < this.len + n) cap *= 2;
    const next = new Uint8Array(cap);
    next.set(this.buf.subarray(0, this.len));
    this.buf = next;
    this.view = new DataView(next.buffer);
  }

  u8(v: number): void {
    this.room(1);
    this.buf[this.len++] = v & 0xff;
  }

  be32(v: number): void {
    this.room(4);
    this.view.setUint32(this.len, v >>> 0, false);
    this.len += 4;
  }

  /** A be64 from a non-negative safe integer. */
  be64(v: number): void {
    this.room(8);
    this.view.setUint32(this.len, Math.floor(v / 0x1_0000_0000), false);
    this.view.setUint32(this.len + 4, v >>> 0, false);
    this.len += 8;
  }

  bytes(b: Uint8Array): void {
    this.room(b.length);
    this.buf.set(b, this.len);
    this.len += b.length;
  }

  /** QEMU's idstr encoding: one length byte, then the ASCII bytes (at most 255). */
  str8(s: string): void {
    this.u8(s.length);
    this.room(s.length);
    for (let i = 0; i < s.length; i++) this.buf[this.len++] = s.charCodeAt(i) & 0xff;
  }

  /**
   * `n` bytes reserved at the end for the caller to fill in place (e.g. a page copied
   * straight from guest memory); valid until the next write.
   */
  reserve(n: number): Uint8Array {
    this.room(n);
    const at = this.len;
    this.len += n;
    return this.buf.subarray(at, at + n);
  }

  /** The bytes written since the last take (a copy, ready to transfer), and resets. */
  take(): Uint8Array {
    const out = this.buf.slice(0, this.len);
    this.flushed += this.len;
    this.len = 0;
    return out;
  }
}
