// Boots a host worker thread in Node for the tests: registers tsx's loader (vitest's own
// transform does not reach worker_threads), then loads the TypeScript entry.
import { register } from 'tsx/esm/api';

register();
await import('./host-thread.ts');
