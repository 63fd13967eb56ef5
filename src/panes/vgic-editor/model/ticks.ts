/**
 * Axis ticks for addresses: steps that are powers of two, so the hex labels read
 * `0x8000000, 0x8100000, …` instead of decimal round numbers that look random in hex.
 */

/** Tick positions in [start, end], about `count` of them, at multiples of a power of two. */
export function hexTicks(start: number, end: number, count: number): number[] {
  const span = end - start;
  if (!(span > 0) || count < 1) return [];
  const step = 2 ** Math.ceil(Math.log2(span / count));
  const out: number[] = [];
  for (let t = Math.ceil(start / step) * step; t <= end && out.length <= count * 2; t += step) out.push(t);
  return out;
}

/** An address label: `0x8100000`, or with a unit suffix for whole GiB/TiB (`0x4000000000 (256 GiB)`). */
export function tickLabel(v: number): string {
  return '0x' + Math.round(v).toString(16);
}
