/** Test helper: a booted SEV host with its event log. */
import { VirtualClock } from '../../core/clock.js';
import { EventLog } from '../../core/event-log.js';
import { SeededRng } from '../../core/rng.js';
import { DEFAULT_WORKLOAD } from '../../guest/workload.js';
import { SevHost, type SevHostOptions } from '../sev-host.js';

/** Boots a host (256 MiB by default) to the end of its boot. */
export function bootHost(o: Partial<SevHostOptions> = {}, seed = 1): { host: SevHost; log: EventLog } {
  const clock = new VirtualClock();
  const log = new EventLog(clock);
  const rng = SeededRng.fromSeed(seed);
  const host = new SevHost(
    { host: 'src', clock, rng, log, emit: (d) => void log.append(d) },
    { abi: 'upstream', efi: true, memMiB: 256, ovmfFeature: true, guestWritesMsr: true, policy: 0, workload: { ...DEFAULT_WORKLOAD, workingSetMiB: 16 }, ...o },
  );
  host.bootToEnd();
  return { host, log };
}
