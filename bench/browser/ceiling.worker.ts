/**
 * One side of the raw crypto ceiling (suites/crypto-ceiling.ts) in its own Web Worker, so
 * the migration-1g suite measures the two PSPs' primitives in parallel, as the lab's two
 * host workers run. Protocol: worker → `{ready: true}` once loaded; `{side, pages}` →
 * `SideCeiling` (the side's own times).
 */
import { sideCeiling, type CeilingSide, type SideCeiling } from '../suites/crypto-ceiling';

self.onmessage = async (e: MessageEvent<{ side: CeilingSide; pages: number }>) => {
  const r: SideCeiling = await sideCeiling(e.data.side, e.data.pages);
  self.postMessage(r);
};
self.postMessage({ ready: true });
