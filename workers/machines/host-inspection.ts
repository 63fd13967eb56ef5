/**
 * What the engine can read of a machine's SEV hosts besides its events: the per-page
 * state bytes the page map draws (workers/host/page-states.ts) and a digest of guest
 * memory as the guest reads it (workers/migration/guest-image.ts). Machines with SEV
 * hosts implement it (sev-boot, sev-migration, and the migration lab whose hosts run in
 * workers, asynchronously); the engine API answers "no such host" for the others.
 */
import type { SevHost } from '../host/sev-host.js';
import { guestMemoryDigest, type GuestMemoryDigest } from '../migration/guest-image.js';

export type { GuestMemoryDigest };

/** A machine whose hosts can be inspected; `T<x>` is `x` or a Promise of it. */
export interface HostInspection<Async extends boolean = false> {
  /** The names of its hosts (`src`, `dst`, `hop2`). */
  hostNames: () => string[];
  /** Guest memory digest of host `name` (undefined: no such host). */
  guestMemoryDigest: (name: string) => Async extends true ? Promise<GuestMemoryDigest | undefined> : GuestMemoryDigest | undefined;
  /** A copy of host `name`'s page-state bytes (undefined: no such host). */
  pageStates: (name: string) => Async extends true ? Promise<Uint8Array | undefined> : Uint8Array | undefined;
}

/** True when `m` implements {@link HostInspection}. */
export function inspectsHosts<A extends boolean>(m: unknown): m is HostInspection<A> {
  const x = m as Partial<HostInspection<A>> | null;
  return typeof x?.hostNames === 'function' && typeof x.guestMemoryDigest === 'function' && typeof x.pageStates === 'function';
}

/** HostInspection over SevHost objects in this thread, by name. */
export function inspectSevHosts(hosts: () => ReadonlyMap<string, SevHost>): HostInspection {
  return {
    hostNames: () => [...hosts().keys()],
    guestMemoryDigest: (name) => {
      const h = hosts().get(name);
      return h && guestMemoryDigest(h);
    },
    pageStates: (name) => hosts().get(name)?.pageStates.copy(),
  };
}
