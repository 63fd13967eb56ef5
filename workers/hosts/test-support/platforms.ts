/**
 * Host platforms for tests (Node): host services in this thread (the wire still a real
 * MessageChannel, so delivery is asynchronous as between workers), or in worker_threads
 * through comlink, as the engine worker runs them in a browser. Stream chunks can be
 * observed on the way (they are transferred, so they are hashed before they leave).
 */
import { MessageChannel as NodeMessageChannel, Worker } from 'node:worker_threads';
import { wrap } from 'comlink';
import { remoteHostLink } from '../../entry/host-platform.js';
import { nodeEndpoint } from './node-endpoint.js';
import type { WireEnvelope } from '../../migration/wire.js';
import type { HostServiceApi, WirePortLike } from '../host-protocol.js';
import { hostLinkOf, type HostLink } from '../host-proxy.js';
import { HostService } from '../host-service.js';
import type { HostPlatform } from '../worker-lab.js';

/** Called with every stream chunk a host posts to its peer. */
export type ChunkTap = (from: string, bytes: Uint8Array) => void;

function tapped(port: MessagePort, from: () => string, tap?: ChunkTap): WirePortLike {
  const p = port as unknown as WirePortLike;
  if (!tap) return p;
  const post = p.postMessage.bind(p);
  return Object.assign(p, {
    postMessage: (m: WireEnvelope, t: ArrayBuffer[]) => {
      if (m.msg.type === 'data') tap(from(), m.msg.bytes);
      post(m, t);
    },
  });
}

/** Hosts as HostService objects in this thread. */
export function inThreadPlatform(tap?: ChunkTap): HostPlatform {
  return {
    spawnHost: () => {
      const s = new HostService();
      return hostLinkOf((m, args) => Promise.resolve().then(() => (s[m] as (...a: unknown[]) => unknown).apply(s, args)));
    },
    channel: () => {
      const ch = new MessageChannel();
      return { a: tapped(ch.port1, () => 'a', tap), b: tapped(ch.port2, () => 'b', tap) };
    },
    dispose: () => undefined,
  };
}

/** Hosts in worker_threads (comlink over node's MessagePort), the wire a worker_threads MessageChannel. */
export function workerThreadPlatform(): HostPlatform & { workers: Worker[] } {
  const workers: Worker[] = [];
  const remotes = new Map<HostLink, Worker>();
  return {
    workers,
    spawnHost: () => {
      const w = new Worker(new URL('./host-thread.mjs', import.meta.url));
      workers.push(w);
      const link = remoteHostLink(wrap<HostServiceApi>(nodeEndpoint(w)));
      remotes.set(link, w);
      return link;
    },
    channel: () => {
      const ch = new NodeMessageChannel();
      return { a: ch.port1 as unknown as WirePortLike, b: ch.port2 as unknown as WirePortLike };
    },
    dispose: (link) => void remotes.get(link)?.terminate(),
  };
}
