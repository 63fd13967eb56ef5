/**
 * Web Worker entry: one engine per worker, exposed with comlink.
 *
 * Protocol: comlink's RPC over postMessage. The main thread wraps this worker as
 * `Remote<EngineApi>` and calls its methods; each returns a Promise of plain data
 * (see workers/api/types.ts). Nothing else is posted on this port. A `sev-migration`
 * scenario runs each of its hosts in a worker of its own (host.worker.ts), which this
 * worker starts and drives.
 */
import { expose, transfer } from 'comlink';
import { AsyncEngine } from '../api/async-engine.js';
import { browserHostPlatform } from './host-platform.js';

const engine = new AsyncEngine({ hosts: browserHostPlatform() });
// Page states go to the UI as a transferred buffer (a fresh copy each call), not cloned.
const pageStates = engine.pageStates.bind(engine);
engine.pageStates = async (host) => {
  const r = await pageStates(host);
  return r.ok ? transfer(r, [r.value.buffer as ArrayBuffer]) : r;
};
expose(engine);
