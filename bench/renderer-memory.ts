/**
 * Peak memory of the bench page in headless Chromium, per suite: the resident set of the
 * renderer processes descending from our Chromium (the page, its bench worker and every
 * worker that one starts live there — `performance.memory` in a worker sees only its own
 * heap, and not the ArrayBuffers that hold guest RAM). Linux /proc only; elsewhere no
 * figure. Our Chromium is found by a marker switch on its command line, so other
 * Chromiums on the machine (e2e runs) are not counted.
 */
import { readdirSync, readFileSync } from 'node:fs';

/** A command-line switch that marks the bench's Chromium. */
export const MARKER = `--kvm-lab-bench=${process.pid}`;

function read(path: string): string | undefined {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return undefined;
  }
}

/** Resident bytes of our Chromium's renderer processes, or undefined when not found. */
export function rendererRss(): number | undefined {
  const parent = new Map<number, number>();
  const cmd = new Map<number, string>();
  for (const d of readdirSync('/proc')) {
    if (!/^\d+$/.test(d)) continue;
    const stat = read(`/proc/${d}/stat`);
    const cl = read(`/proc/${d}/cmdline`);
    if (!stat || cl === undefined) continue;
    // pid (comm) state ppid ...: comm may hold spaces, so split after the last ')'.
    parent.set(Number(d), Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]));
    cmd.set(Number(d), cl.replace(/\0/g, ' '));
  }
  const roots = [...cmd].filter(([, c]) => c.includes(MARKER) && !c.includes('--type=')).map(([p]) => p);
  if (roots.length === 0) return undefined;
  const ours = (pid: number): boolean => {
    for (let p = pid, hops = 0; p > 1 && hops < 16; p = parent.get(p) ?? 0, hops++) if (roots.includes(p)) return true;
    return false;
  };
  let total = 0;
  for (const [pid, c] of cmd) {
    if (!c.includes('--type=renderer') || !ours(pid)) continue;
    const m = /VmRSS:\s+(\d+) kB/.exec(read(`/proc/${pid}/status`) ?? '');
    if (m) total += Number(m[1]) * 1024;
  }
  return total;
}

/** Samples {@link rendererRss} while a bench runs, keeping the peak per suite name. */
export class RendererMemory {
  readonly peaks = new Map<string, number>();

  /** Records one sample for `suite` (the suite the page says is running). */
  sample(suite: string | undefined): void {
    if (!suite) return;
    const rss = rendererRss();
    if (rss !== undefined) this.peaks.set(suite, Math.max(this.peaks.get(suite) ?? 0, rss));
  }
}
