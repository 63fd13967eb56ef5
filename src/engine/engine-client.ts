/**
 * The UI's handle on the engine: a Web Worker running `workers/entry/engine.worker.ts`,
 * wrapped by comlink in the typed {@link EngineApi}. The UI imports engine *types* only;
 * everything it does to the engine goes through this remote.
 */
import { wrap, type Remote } from 'comlink';
import type { EngineApi } from '../../workers/api/types';

/** The engine as the UI sees it (every method returns a Promise). */
export type RemoteEngine = Remote<EngineApi>;

/** A running engine worker and a way to stop it. */
export interface EngineWorker {
  engine: RemoteEngine;
  /** Resolves with a message if the worker dies (script error, out of memory). */
  died: Promise<string>;
  terminate(): void;
}

/** Starts one engine worker. */
export function startEngineWorker(): EngineWorker {
  const worker = new Worker(new URL('../../workers/entry/engine.worker.ts', import.meta.url), {
    type: 'module',
    name: 'kvm-lab engine',
  });
  const died = new Promise<string>((resolve) => {
    worker.addEventListener('error', (e) => {
      e.preventDefault();
      resolve(e.message || 'the engine worker stopped unexpectedly');
    });
    worker.addEventListener('messageerror', () => resolve('the engine worker sent a message that could not be read'));
  });
  return { engine: wrap<EngineApi>(worker), died, terminate: () => worker.terminate() };
}
