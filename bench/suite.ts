/**
 * The contract of `npm run bench` suites. Each suite is a file in `bench/suites/`,
 * registered in `bench/suites/index.ts`; it returns figures, never a pass/fail.
 * Suites measure wall time with `performance.now()` (bench code is not engine code).
 */

/** One measured figure. */
export interface BenchFigure {
  /** What was measured, e.g. "SEND_UPDATE_DATA (4 KiB pages)". */
  name: string;
  /** Where: "node" or "chromium-worker". */
  where: string;
  value: number;
  /** Unit, e.g. "pages/s", "MB/s", "ms", "MiB", "ratio". */
  unit: string;
  /** Optional target and whether it was met, e.g. "≥ 0.7". */
  target?: string;
  met?: boolean;
}

/** A group of related figures. */
export interface BenchSuite {
  name: string;
  /** Runs the measurements in Node. */
  run(): Promise<BenchFigure[]>;
}

/** Calls `fn` repeatedly for at least `minMs` (after one warm-up call); returns calls per second. */
export function ratePerSecond(fn: () => void, minMs = 400): number {
  fn();
  let n = 0;
  const start = performance.now();
  let now = start;
  while (now - start < minMs) {
    fn();
    n++;
    now = performance.now();
  }
  return (n * 1000) / (now - start);
}
