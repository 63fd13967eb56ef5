/**
 * `report.json` of an instructor export (`kvm-lab/migration-report` v1, described in
 * docs/stream-format.md): per hop the outcome on both sides (status, error, total time,
 * setup, downtime, bytes, private / plain / zero pages sent, dirty sync count = QEMU's
 * iteration count, passes over the bitmap, throttle), the shared-regions list as the
 * target loaded it, and per host every PSP command with its status, run-length encoded in
 * order. Built from the lab's objects only; files are the caller's business.
 */
import type { Json } from '../../core/events.js';
import type { MigrationLab } from './migration-lab.js';

/** The report's format tag. */
export const REPORT_FORMAT = 'kvm-lab/migration-report';

/** Builds the report; `extra` (files written, comparisons) is merged in at the top level. */
export function migrationReport(lab: MigrationLab, scenario: string, seed: number, extra: Record<string, Json> = {}): Json {
  const hops: Json[] = lab.hops.map((h) => {
    const s = h.from.source;
    const t = h.to.target;
    const c = s.counters;
    return {
      from: h.from.name,
      to: h.to.name,
      migrateAtNs: Number.isFinite(h.migrateAt) ? h.migrateAt : null,
      source: {
        status: s.status,
        error: s.error ?? null,
        totalTimeMs: s.status === 'none' ? 0 : s.totalTimeMs(),
        setupMs: Math.floor(s.setupNs / 1e6),
        downtimeMs: s.status === 'completed' ? s.downtimeMs() : null,
        transferredBytes: c?.transferred ?? 0,
        pagesSent: c ? { private: c.encrypted, shared: c.normal - c.encrypted + c.duplicate, sharedNonZero: c.normal - c.encrypted, sharedZero: c.duplicate } : null,
        dirtySyncCount: c?.dirtySyncCount ?? 0,
        cpuThrottlePercentage: c?.throttlePct ?? 0,
        sevGuestState: h.from.rt.host.psp.status().guests.map((g) => g.stateName).join(',') || null,
        runstate: h.from.rt.host.vmm.runstate,
      },
      target: {
        status: t.status,
        error: t.error ?? null,
        runstate: h.to.rt.host.vmm.runstate,
        sevGuestState: h.to.rt.host.psp.status().guests.map((g) => g.stateName).join(',') || null,
        sharedRegions: h.to.rt.host.vmm.shared.regions().map((r) => [r.start, r.end]),
      },
    };
  });
  const psp: Record<string, Json> = {};
  for (const h of lab.hosts) psp[h.name] = h.rt.log.ledger.runs.map((r) => ({ cmd: r.cmd, status: r.status, count: r.count }));
  return { format: REPORT_FORMAT, version: 1, scenario, seed, hops, pspCommands: psp, ...extra };
}
