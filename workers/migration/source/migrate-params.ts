/**
 * QEMU's migration parameters and capabilities as the monitor sets and shows them
 * (QEMU 6.x monitor/hmp-cmds.c `hmp_migrate_set_parameter`, `hmp_info_migrate_parameters`;
 * migration/migration.c defaults, reference §1.10) plus the AMD v4 series' `sev-pdh`,
 * `sev-plat-cert` and `sev-amd-cert` (§4.9) and one lab parameter, `x-sev-on-failure`.
 *
 * - `max-bandwidth` takes QEMU's size syntax with MiB as the default unit
 *   (`qemu_strtosz_MiB`: `128` = 128 MiB/s, `1G`, `500K`, `1000B`); a bad value is
 *   "Invalid size VALUE".
 * - `downtime-limit` is milliseconds, 0..2000000.
 * - [U] lab choice: `x-sev-on-failure finish|cancel` picks what the source does with a
 *   guest in send-update when the migration fails or is cancelled: `finish` is the v4
 *   series (SEND_FINISH, the source can never run again), `cancel` the safer
 *   KVM_SEV_SEND_CANCEL (back to RUNNING).
 */

/** Values of the parameters the lab models. */
export interface MigrationParameters {
  downtimeLimitMs: number;
  /** Bytes per second. */
  maxBandwidth: number;
  throttleTriggerThreshold: number;
  cpuThrottleInitial: number;
  cpuThrottleIncrement: number;
  maxCpuThrottle: number;
  sevPdh: string;
  sevPlatCert: string;
  sevAmdCert: string;
  sevOnFailure: 'finish' | 'cancel';
}

/** QEMU 6.x defaults (§1.10). */
export function defaultParameters(): MigrationParameters {
  return {
    downtimeLimitMs: 300,
    maxBandwidth: 128 * 1024 * 1024,
    throttleTriggerThreshold: 50,
    cpuThrottleInitial: 20,
    cpuThrottleIncrement: 10,
    maxCpuThrottle: 99,
    sevPdh: '',
    sevPlatCert: '',
    sevAmdCert: '',
    sevOnFailure: 'finish',
  };
}

/** QEMU 6.x `MigrationCapability` names; the lab acts on `auto-converge` only. */
export const CAPABILITIES = [
  'xbzrle', 'rdma-pin-all', 'auto-converge', 'zero-blocks', 'compress', 'events', 'postcopy-ram', 'x-colo',
  'release-ram', 'block', 'return-path', 'pause-before-switchover', 'multifd', 'dirty-bitmaps',
  'postcopy-blocktime', 'late-block-activate', 'x-ignore-shared', 'validate-uuid', 'background-snapshot',
] as const;

/** `qemu_strtosz_MiB`: a size with an optional B/K/M/G/T/P/E suffix, MiB by default; undefined when invalid. */
export function parseSizeMiB(s: string): number | undefined {
  const m = /^\s*(\d+(?:\.\d+)?)\s*([bkmgtpe]?)\s*$/i.exec(s);
  if (!m) return undefined;
  const unit = m[2].toLowerCase() || 'm';
  const shift = { b: 0, k: 10, m: 20, g: 30, t: 40, p: 50, e: 60 }[unit] ?? 20;
  const v = Number(m[1]) * 2 ** shift;
  if (unit === 'b' && !Number.isInteger(v)) return undefined;
  return Number.isSafeInteger(Math.floor(v)) ? Math.floor(v) : undefined;
}

function int(name: string, v: string): number | string {
  if (!/^-?\d+$/.test(v.trim())) return `Parameter '${name}' expects int64`;
  return Number(v.trim());
}

function percent(name: string, qname: string, v: string, lo: number, hi: number): number | string {
  const n = int(name, v);
  if (typeof n === 'string') return n;
  if (n < lo || n > hi) return `Parameter '${qname}' expects ${qname === 'throttle_trigger_threshold' ? 'an integer in the range of 1 to 100' : `an integer in the range of ${lo} to ${hi}`}`;
  return n;
}

/**
 * `migrate_set_parameter NAME VALUE` on `p`; returns the error text QEMU would print
 * (without "Error: "), or undefined on success (nothing changed on error).
 */
export function setParameter(p: MigrationParameters, name: string, value: string): string | undefined {
  const v = value;
  switch (name) {
    case 'downtime-limit': {
      const n = int(name, v);
      if (typeof n === 'string') return n;
      if (n < 0 || n > 2_000_000) return "Parameter 'downtime_limit' expects an integer in the range of 0 to 2000 seconds";
      p.downtimeLimitMs = n;
      return undefined;
    }
    case 'max-bandwidth': {
      const n = parseSizeMiB(v);
      if (n === undefined) return `Invalid size ${v}`;
      p.maxBandwidth = n;
      return undefined;
    }
    case 'throttle-trigger-threshold':
    case 'cpu-throttle-initial':
    case 'cpu-throttle-increment':
    case 'max-cpu-throttle': {
      const [lo, hi] = name === 'cpu-throttle-initial' || name === 'cpu-throttle-increment' ? [1, 99] : name === 'max-cpu-throttle' ? [0, 99] : [1, 100];
      const n = percent(name, name.replaceAll('-', '_'), v, lo, hi);
      if (typeof n === 'string') return n;
      if (name === 'throttle-trigger-threshold') p.throttleTriggerThreshold = n;
      else if (name === 'cpu-throttle-initial') p.cpuThrottleInitial = n;
      else if (name === 'cpu-throttle-increment') p.cpuThrottleIncrement = n;
      else p.maxCpuThrottle = n;
      return undefined;
    }
    case 'sev-pdh':
      p.sevPdh = v.trim();
      return undefined;
    case 'sev-plat-cert':
      p.sevPlatCert = v.trim();
      return undefined;
    case 'sev-amd-cert':
      p.sevAmdCert = v.trim();
      return undefined;
    case 'x-sev-on-failure':
      if (v.trim() !== 'finish' && v.trim() !== 'cancel') return "Parameter 'x-sev-on-failure' expects finish or cancel";
      p.sevOnFailure = v.trim() as 'finish' | 'cancel';
      return undefined;
    default:
      return `invalid parameter value: ${name}`;
  }
}

function certLine(name: string, v: string): string {
  // [U] lab choice: v4 never added these to `info migrate_parameters`; the lab shows them shortened.
  return `${name}: '${v.length > 24 ? `${v.slice(0, 24)}...' (${v.length} characters)` : `${v}'`}`;
}

/** `info migrate_parameters`: QEMU 6.x's lines, then the SEV and lab parameters. */
export function formatParameters(p: MigrationParameters): string[] {
  return [
    'announce-initial: 50 ms',
    'announce-max: 550 ms',
    'announce-rounds: 5',
    'announce-step: 100 ms',
    'compress-level: 1',
    'compress-threads: 8',
    'compress-wait-thread: on',
    'decompress-threads: 2',
    `throttle-trigger-threshold: ${p.throttleTriggerThreshold}`,
    `cpu-throttle-initial: ${p.cpuThrottleInitial}`,
    `cpu-throttle-increment: ${p.cpuThrottleIncrement}`,
    `max-cpu-throttle: ${p.maxCpuThrottle}`,
    "tls-creds: ''",
    "tls-hostname: ''",
    `max-bandwidth: ${p.maxBandwidth} bytes/second`,
    `downtime-limit: ${p.downtimeLimitMs} milliseconds`,
    'x-checkpoint-delay: 20000',
    'block-incremental: off',
    'multifd-channels: 2',
    'multifd-compression: none',
    'xbzrle-cache-size: 67108864',
    'max-postcopy-bandwidth: 0',
    "tls-authz: ''",
    certLine('sev-pdh', p.sevPdh),
    certLine('sev-plat-cert', p.sevPlatCert),
    certLine('sev-amd-cert', p.sevAmdCert),
    `x-sev-on-failure: ${p.sevOnFailure}`,
  ];
}
