/**
 * The receiving side of a QEMUFile: chunks from the wire are appended, and records are
 * read with big-endian gets. A record is parsed atomically: the loader marks its start,
 * and a get past the bytes received so far throws {@link NeedMoreData}; the loader then
 * rewinds to the mark and waits for the next chunk. Chunks may split records anywhere.
 */

/** Not enough bytes yet for the record being parsed. */
export class NeedMoreData extends Error {
  constructor() {
    super('need more data');
    this.name = 'NeedMoreData';
  }
}

/** A big-endian reader over the chunks received so far. */
export class StreamReader {
  private buf: Uint8Array = new Uint8Array(0);
  private view = new DataView(this.buf.buffer);
  private pos = 0;
  /** Stream offset of buf[0]. */
  private base = 0;

  /** Appends a chunk (kept without copying when nothing is left over). */
  push(chunk: Uint8Array): void {
    if (chunk.length === 0) return;
    const left = this.buf.length - this.pos;
    if (left === 0) {
      this.base += this.buf.length;
      this.buf = chunk;
    } else {
      const next = new Uint8Array(left + chunk.length);
      next.set(this.buf.subarray(this.pos));
      next.set(chunk, left);
      this.base += this.pos;
      this.buf = next;
    }
    this.pos = 0;
    this.view = new DataView(this.buf.buffer, this.buf.byteOffset, this.buf.byteLength);
  }

  /** Stream offset of the next byte to read. */
  get offset(): number {
    return this.base + this.pos;
  }

  /** Bytes received and not yet read. */
  get available(): number {
    return this.buf.length - this.pos;
  }

  /** The current position, to rewind to if the record is incomplete. */
  mark(): number {
    return this.pos;
  }

  /** Goes back to a mark of the current buffer. */
  rewind(mark: number): void {
    this.pos = mark;
  }

  private need(n: number): void {
    if (this.buf.length - this.pos < n) throw new NeedMoreData();
  }

  u8(): number {
    this.need(1);
    return this.buf[this.pos++];
  }

  be32(): number {
    this.need(4);
    const v = this.view.getUint32(this.pos, false);
    this.pos += 4;
    return v;
  }

  /** A be64 as a number; values at or above 2^53 come back as Infinity (never a valid offset). */
  be64(): number {
    this.need(8);
    const hi = this.view.getUint32(this.pos, false);
    const lo = this.view.getUint32(this.pos + 4, false);
    this.pos += 8;
    return hi >= 0x20_0000 ? Infinity : hi * 0x1_0000_0000 + lo;
  }

  /** The low 32 bits of the next be64 without consuming it (for flag words). */
  peekBe64Low(): number {
    this.need(8);
    return this.view.getUint32(this.pos + 4, false);
  }

  /** `n` bytes as a view into the buffer (valid until the next push); copy to keep. */
  bytes(n: number): Uint8Array {
    this.need(n);
    const out = this.buf.subarray(this.pos, this.pos + n);
    this.pos += n;
    return out;
  }

  /** A length byte and that many ASCII bytes (QEMU's idstr). */
  str8(): string {
    const n = this.u8();
    const b = this.bytes(n);
    let s = '';
    for (const c of b) s += String.fromCharCode(c);
    return s;
  }
}
