/**
 * Host workers in a browser (docs/ARCHITECTURE.md "Hosts in workers"): the
 * {@link HostPlatform} the engine worker gives the migration lab. Each host is a module
 * Web Worker running host.worker.ts; each link between two hosts is a MessageChannel whose
 * ports go to the two host workers, so stream chunks pass between hosts without the
 * engine worker copying them.
 *
 * A host worker that dies (a script error, out of memory) rejects every call in flight
 * and every later call with a message naming the host, so the run stops with an error the
 * UI shows instead of waiting forever.
 */
import { transfer, wrap, type Remote } from 'comlink';
import type { HostInit, HostServiceApi, WirePortLike } from '../hosts/host-protocol.js';
import { hostLinkOf, type HostLink } from '../hosts/host-proxy.js';
import type { HostPlatform } from '../hosts/worker-lab.js';

/** Where a host worker comes from; tests and the bench may start it from elsewhere. */
export type HostWorkerFactory = (name: string) => Worker;

/** Starts workers/entry/host.worker.ts (Vite bundles it beside the engine worker). */
export const startHostWorker: HostWorkerFactory = (name) =>
  new Worker(new URL('./host.worker.ts', import.meta.url), { type: 'module', name: `kvm-lab host ${name}` });

/**
 * The HostLink of a host service behind comlink: `init` transfers the wire ports it
 * hands over; `guard` wraps every call (the browser's rejects when the worker dies).
 */
export function remoteHostLink(r: Remote<HostServiceApi>, guard: (p: Promise<unknown>) => Promise<unknown> = (p) => p): HostLink {
  return hostLinkOf((m, args) => {
    if (m !== 'init') return guard((r[m] as (...a: unknown[]) => Promise<unknown>)(...args));
    const ports = args[1] as Record<string, WirePortLike>;
    return guard(r.init(args[0] as HostInit, transfer(ports, Object.values(ports) as unknown as Transferable[])));
  });
}

/** A platform whose hosts are Web Workers made by `start`. */
export function browserHostPlatform(start: HostWorkerFactory = startHostWorker): HostPlatform {
  const workers = new Map<HostLink, Worker>();
  return {
    spawnHost(name) {
      const worker = start(name);
      const died = new Promise<never>((_, reject) => {
        worker.addEventListener('error', (e) => {
          e.preventDefault();
          reject(new Error(`the worker of host "${name}" stopped: ${e.message || 'unknown error'}`));
        });
        worker.addEventListener('messageerror', () => reject(new Error(`the worker of host "${name}" sent a message that could not be read`)));
      });
      died.catch(() => undefined); // observed by each call below
      const link = remoteHostLink(wrap<HostServiceApi>(worker), (p) => Promise.race([p, died]));
      workers.set(link, worker);
      return link;
    },
    channel() {
      const ch = new MessageChannel();
      return { a: ch.port1, b: ch.port2 };
    },
    dispose(link) {
      workers.get(link)?.terminate();
      workers.delete(link);
    },
  };
}
