/** Formatting shared by panes. */

/** Virtual nanoseconds as a short readable duration: `0 ns`, `45.0 µs`, `1.250 ms`, `2.5 s`. */
export function formatNs(ns: number): string {
  if (ns < 1_000) return `${ns} ns`;
  if (ns < 1_000_000) return `${(ns / 1_000).toFixed(1)} µs`;
  if (ns < 1_000_000_000) return `${(ns / 1_000_000).toFixed(3)} ms`;
  return `${(ns / 1_000_000_000).toFixed(3)} s`;
}

/** A payload in one short line for lists. */
export function payloadSummary(payload: unknown, max = 96): string {
  const text = JSON.stringify(payload) ?? '';
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}
