/**
 * The contract of `npm run bench` suites. Each suite is a file in `bench/suites/`,
 * registered in `bench/suites/index.ts`; it returns figures, never a pass/fail.
 * Suites measure wall time with `performance.now()` (bench code is not engine code) and
 * must not import Node modules when `browser` is true.
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

/** Where a suite runs: Node, or a Web Worker in headless Chromium. */
export interface BenchEnv {
  where: 'node' | 'chromium-worker';
}

/** A group of related figures. */
export interface BenchSuite {
  name: string;
  /**
   * True when the suite imports nothing from Node, so the bench also runs it in a Web
   * Worker in headless Chromium (bench/browser/).
   */
  browser?: boolean;
  /** Runs the measurements; figures carry `env.where`. */
  run(env: BenchEnv): Promise<BenchFigure[]>;
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

/**
 * Memory in use, in bytes: the resident set in Node, the JS heap in Chromium where it
 * reports one (`performance.memory`, non-standard); undefined elsewhere.
 */
export function memoryInUse(): number | undefined {
  const g = globalThis as { process?: { memoryUsage?: () => { rss: number } }; performance?: { memory?: { usedJSHeapSize: number } } };
  return g.process?.memoryUsage?.().rss ?? g.performance?.memory?.usedJSHeapSize;
}

/** The peak-memory figure (RSS in Node, JS heap in Chromium), or none when unknown. */
export function peakFigure(peak: number | undefined, where: string): BenchFigure[] {
  if (peak === undefined) return [];
  return [{ name: where === 'node' ? 'peak RSS' : 'peak JS heap', where, value: peak / (1024 * 1024), unit: 'MiB' }];
}
