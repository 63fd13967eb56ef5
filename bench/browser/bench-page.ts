/**
 * The bench page in headless Chromium: starts the bench worker, waits for its figures and
 * publishes them as `window.__benchResult` for bench/chromium.ts to read.
 * Protocol with the worker: page → worker `{only?: string}`; worker → page
 * `{figures}` or `{error}` once, at the end; `{progress: string}` before each suite.
 */
import type { BenchFigure } from '../suite';

declare global {
  interface Window {
    __benchResult?: { figures: (BenchFigure & { suite: string })[] } | { error: string };
  }
}

const status = document.getElementById('status')!;
const worker = new Worker(new URL('./bench.worker.ts', import.meta.url), { type: 'module' });
worker.onmessage = (e: MessageEvent<{ progress?: string; figures?: (BenchFigure & { suite: string })[]; error?: string }>) => {
  if (e.data.progress) {
    status.textContent = e.data.progress;
    return;
  }
  window.__benchResult = e.data.figures ? { figures: e.data.figures } : { error: e.data.error ?? 'unknown error' };
  status.textContent = 'done';
};
worker.onerror = (e) => {
  window.__benchResult = { error: e.message || 'the bench worker died' };
};
worker.postMessage({ only: new URLSearchParams(location.search).get('only') ?? undefined });
