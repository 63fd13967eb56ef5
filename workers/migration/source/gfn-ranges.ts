/**
 * The GFN ranges a batch touched, for its one event: consecutive frames merge into a
 * range; at most 16 ranges are kept as text (`0x100-0x13f`), the rest counted, so an
 * event stays small however scattered the pages were. Allocation-free while adding.
 */

const MAX_LISTED = 16;

/** Accumulates frames in send order. */
export class GfnRanges {
  private readonly starts = new Float64Array(MAX_LISTED);
  private readonly ends = new Float64Array(MAX_LISTED);
  private n = 0;
  private more = 0;

  /** Forgets everything (a new batch). */
  reset(): void {
    this.n = 0;
    this.more = 0;
  }

  /** Adds frame `gfn`. */
  add(gfn: number): void {
    if (this.n > 0 && this.ends[this.n - 1] === gfn - 1) {
      this.ends[this.n - 1] = gfn;
      return;
    }
    if (this.n < MAX_LISTED) {
      this.starts[this.n] = gfn;
      this.ends[this.n] = gfn;
      this.n++;
    } else this.more++;
  }

  /** The ranges as text, plus `+N more` when some did not fit. */
  list(): string[] {
    const out: string[] = [];
    for (let i = 0; i < this.n; i++) {
      const s = this.starts[i];
      const e = this.ends[i];
      out.push(s === e ? `0x${s.toString(16)}` : `0x${s.toString(16)}-0x${e.toString(16)}`);
    }
    if (this.more) out.push(`+${this.more} more`);
    return out;
  }
}
