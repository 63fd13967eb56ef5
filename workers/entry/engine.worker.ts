/**
 * Web Worker entry: one engine per worker, exposed with comlink.
 *
 * Protocol: comlink's RPC over postMessage. The main thread wraps this worker as
 * `Remote<EngineApi>` and calls its methods; each returns a Promise of plain data
 * (see workers/api/types.ts). Nothing else is posted on this port.
 */
import { expose } from 'comlink';
import { Engine } from '../api/engine.js';

expose(new Engine());
