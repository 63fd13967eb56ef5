/**
 * The convergence rule and auto-converge (reference §5.2, §5.3, §1.10, QV4-13), the
 * migration parameters as HMP sets and shows them, and the dirty bitmap's round walk.
 */
import { describe, expect, it } from 'vitest';
import { MigrationCounters, SEV_MIN_DOWNTIME_MS } from './convergence.js';
import { defaultParameters, formatParameters, parseSizeMiB, setParameter } from './migrate-params.js';

const MS = 1e6;

describe('MigrationCounters', () => {
  it('computes bandwidth, threshold and mbps once per ≥ 100 ms window, with the SEV floor of 1000 ms', () => {
    const p = defaultParameters();
    const c = new MigrationCounters(p, 0, true);
    expect(c.downtimeLimitMs).toBe(SEV_MIN_DOWNTIME_MS);
    expect(c.expectedDowntimeMs).toBe(300);
    c.addBytes(400_000);
    c.update(50 * MS, 1_000_000);
    expect(c.thresholdBytes).toBe(0); // window not over yet
    c.update(200 * MS, 1_000_000);
    expect(c.bandwidth).toBe(2000); // bytes per ms
    expect(c.thresholdBytes).toBe(2000 * 1000);
    expect(c.mbps).toBeCloseTo(16, 6);
    expect(new MigrationCounters({ ...p, downtimeLimitMs: 2500 }, 0, true).downtimeLimitMs).toBe(2500);
    expect(new MigrationCounters(p, 0, false).downtimeLimitMs).toBe(300);
  });

  it('rate-limits at max-bandwidth / 10 per window, and resets with the window', () => {
    const p = { ...defaultParameters(), maxBandwidth: 10_000_000 };
    const c = new MigrationCounters(p, 0, true);
    c.addBytes(1_000_000);
    expect(c.rateLimited()).toBe(false);
    c.addBytes(1);
    expect(c.rateLimited()).toBe(true);
    expect(c.windowEndNs()).toBe(100 * MS);
    c.update(100 * MS, 0);
    expect(c.rateLimited()).toBe(false);
  });

  it('expected downtime follows remaining / bandwidth once the guest dirties pages', () => {
    const c = new MigrationCounters(defaultParameters(), 0, true);
    c.afterSync(1001 * MS, 500, false);
    expect(c.dirtyPagesRate).toBe(Math.floor((500 * 1000) / 1001));
    c.addBytes(1_000_000);
    c.update(1101 * MS, 4_000_000);
    expect(c.expectedDowntimeMs).toBe(Math.floor(4_000_000 / (1_000_000 / 1101)));
  });

  it('auto-converge: dirtying more than 50 % of what was sent, twice, throttles 20 %, then +10 %, at most 99 %', () => {
    const p = { ...defaultParameters(), cpuThrottleIncrement: 40 };
    const c = new MigrationCounters(p, 0, true);
    let t = 0;
    const period = (sent: number, dirtyPages: number, auto = true): number | undefined => {
      c.addBytes(sent);
      t += 1001 * MS;
      return c.afterSync(t, dirtyPages, auto)?.percent;
    };
    expect(period(4096 * 100, 60)).toBeUndefined(); // first time over: counted
    expect(period(4096 * 100, 60)).toBe(20);
    expect(period(4096 * 100, 10)).toBeUndefined(); // under the trigger
    expect(period(4096 * 100, 60)).toBeUndefined();
    expect(period(4096 * 100, 60)).toBe(60);
    period(4096 * 100, 60);
    expect(period(4096 * 100, 60)).toBe(99);
    const off = new MigrationCounters(p, 0, true);
    off.addBytes(4096);
    expect(off.afterSync(1001 * MS, 100, false)).toBeUndefined();
    expect(off.afterSync(2002 * MS, 100, false)).toBeUndefined();
    expect(off.throttlePct).toBe(0);
  });

  it('counts syncs, and the dirty rate only after a second has passed', () => {
    const c = new MigrationCounters(defaultParameters(), 0, true);
    c.afterSync(10 * MS, 5, false);
    expect([c.dirtySyncCount, c.dirtyPagesRate]).toEqual([1, 0]);
    c.afterSync(1500 * MS, 5, false);
    expect([c.dirtySyncCount, c.dirtyPagesRate]).toEqual([2, Math.floor((10 * 1000) / 1500)]);
  });
});

describe('migration parameters', () => {
  it('parses HMP sizes with MiB as the default unit (qemu_strtosz_MiB)', () => {
    expect(parseSizeMiB('128')).toBe(128 * 2 ** 20);
    expect(parseSizeMiB('1G')).toBe(2 ** 30);
    expect(parseSizeMiB('500k')).toBe(500 * 1024);
    expect(parseSizeMiB('1000B')).toBe(1000);
    expect(parseSizeMiB('1.5M')).toBe(1.5 * 2 ** 20);
    expect(parseSizeMiB('fast')).toBeUndefined();
    expect(parseSizeMiB('1.5B')).toBeUndefined();
  });

  it('sets what it knows and answers QEMU errors, changing nothing on error', () => {
    const p = defaultParameters();
    expect(setParameter(p, 'downtime-limit', '1500')).toBeUndefined();
    expect(setParameter(p, 'max-bandwidth', '1G')).toBeUndefined();
    expect(setParameter(p, 'x-sev-on-failure', 'cancel')).toBeUndefined();
    expect(setParameter(p, 'sev-pdh', 'QUJD')).toBeUndefined();
    expect(setParameter(p, 'downtime-limit', 'soon')).toBe("Parameter 'downtime-limit' expects int64");
    expect(setParameter(p, 'downtime-limit', '2000001')).toBe("Parameter 'downtime_limit' expects an integer in the range of 0 to 2000 seconds");
    expect(setParameter(p, 'max-bandwidth', 'fast')).toBe('Invalid size fast');
    expect(setParameter(p, 'cpu-throttle-initial', '0')).toBe("Parameter 'cpu_throttle_initial' expects an integer in the range of 1 to 99");
    expect(setParameter(p, 'throttle-trigger-threshold', '101')).toBe("Parameter 'throttle_trigger_threshold' expects an integer in the range of 1 to 100");
    expect(setParameter(p, 'x-sev-on-failure', 'maybe')).toBe("Parameter 'x-sev-on-failure' expects finish or cancel");
    expect(setParameter(p, 'warp-speed', '9')).toBe('invalid parameter value: warp-speed');
    expect(p).toMatchObject({ downtimeLimitMs: 1500, maxBandwidth: 2 ** 30, sevOnFailure: 'cancel', sevPdh: 'QUJD', cpuThrottleInitial: 20 });
  });

  it('shows QEMU 6.x lines, then the SEV and lab parameters', () => {
    const p = defaultParameters();
    setParameter(p, 'sev-plat-cert', 'A'.repeat(100));
    const lines = formatParameters(p);
    expect(lines.slice(0, 4)).toEqual(['announce-initial: 50 ms', 'announce-max: 550 ms', 'announce-rounds: 5', 'announce-step: 100 ms']);
    expect(lines).toContain('max-bandwidth: 134217728 bytes/second');
    expect(lines).toContain('downtime-limit: 300 milliseconds');
    expect(lines).toContain("sev-pdh: ''");
    expect(lines).toContain(`sev-plat-cert: '${'A'.repeat(24)}...' (100 characters)`);
    expect(lines.at(-1)).toBe('x-sev-on-failure: finish');
  });
});
