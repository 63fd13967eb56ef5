/**
 * `info migrate` in QEMU 6.x's layout (monitor/hmp-cmds.c `hmp_info_migrate` after
 * migration.c `migration_global_dump`; reference §5.5): the globals, then — once a
 * migration has happened — `Migration status` (with the error in parentheses when it
 * failed; setup, failed and cancelled show only `total time: 0 milliseconds` after it),
 * `total time`, `expected downtime` (while active) or `downtime` (completed),
 * `setup`, and the RAM block: transferred, throughput, remaining, total, duplicate,
 * skipped, normal, normal bytes, dirty sync count, page size, multifd bytes,
 * pages-per-second, `dirty pages rate` (when non-zero); then `cpu throttle percentage`
 * when auto-converge throttles. On an incoming host: the status and total time, and the
 * socket address it listens on (QEMU fills no RAM figures there).
 */
import type { MigrationSource } from '../source/migration-source.js';
import type { MigrationTarget } from '../target/migration-target.js';

const GLOBALS = [
  'globals:',
  'store-global-state: on',
  'only-migratable: off',
  'send-configuration: on',
  'send-section-footer: on',
  'decompress-error-check: on',
  'clear-bitmap-shift: 18',
];

/** The lines of `info migrate` on a host with this source and target side. */
export function infoMigrate(src: MigrationSource, dst: MigrationTarget | undefined): string[] {
  const out = [...GLOBALS];
  if (src.status !== 'none') return [...out, ...sourceLines(src)];
  if (dst && (dst.status !== 'none' || dst.listening)) {
    if (dst.status !== 'none') {
      out.push(`Migration status: ${dst.status}${dst.status === 'failed' && dst.error ? ` (${dst.error})` : ''}`);
      out.push('total time: 0 milliseconds');
    }
    const [, host, port] = /^tcp:([^:]*):(\d+)$/.exec(dst.uri) ?? ['', '0.0.0.0', '0'];
    out.push('socket address: [', `\ttcp:${host === '0' || host === '' ? '0.0.0.0' : host}:${port}`, ']');
  }
  return out;
}

/**
 * QEMU 6.x `fill_source_migration_info`: setup, failed and cancelled carry only the status
 * (and the error), so `total time` prints 0; active, cancelling and completed carry the
 * times and the RAM figures.
 */
function sourceLines(s: MigrationSource): string[] {
  const full = s.status === 'active' || s.status === 'cancelling' || s.status === 'completed';
  const out = [`Migration status: ${s.status}${s.status === 'failed' && s.error ? ` (${s.error})` : ''}`, `total time: ${full ? s.totalTimeMs() : 0} milliseconds`];
  if (!full) return out;
  const c = s.counters;
  if (s.status !== 'completed' && c) out.push(`expected downtime: ${c.expectedDowntimeMs} milliseconds`);
  if (s.status === 'completed') out.push(`downtime: ${s.downtimeMs()} milliseconds`);
  out.push(`setup: ${Math.floor(s.setupNs / 1e6)} milliseconds`);
  if (!c || !s.bitmap) return out;
  const total = s.bitmap.blocks.reduce((n, b) => n + b.size, 0);
  const remaining = s.status === 'completed' ? 0 : s.bitmap.dirtyPages * 4096;
  out.push(
    `transferred ram: ${Math.floor(c.transferred / 1024)} kbytes`,
    `throughput: ${c.mbps.toFixed(2)} mbps`,
    `remaining ram: ${Math.floor(remaining / 1024)} kbytes`,
    `total ram: ${Math.floor(total / 1024)} kbytes`,
    `duplicate: ${c.duplicate} pages`,
    'skipped: 0 pages',
    `normal: ${c.normal} pages`,
    `normal bytes: ${c.normal * 4} kbytes`,
    `dirty sync count: ${c.dirtySyncCount}`,
    'page size: 4 kbytes',
    'multifd bytes: 0 kbytes',
    `pages-per-second: ${c.pagesPerSecond}`,
  );
  if (c.dirtyPagesRate) out.push(`dirty pages rate: ${c.dirtyPagesRate} pages`);
  if (c.throttlePct > 0 && s.running) out.push(`cpu throttle percentage: ${c.throttlePct}`);
  return out;
}

/** `info migrate_capabilities`: every capability with on/off, QEMU's order. */
export function infoMigrateCapabilities(caps: ReadonlySet<string>, names: readonly string[]): string[] {
  return names.map((n) => `${n}: ${caps.has(n) ? 'on' : 'off'}`);
}
