/**
 * Runs the browser-capable bench suites inside a Web Worker (where the engine runs in the
 * lab), and posts the figures back. Protocol: see bench-page.ts.
 */
import type { BenchFigure } from '../suite';
import { suites } from '../suites/index';

self.onmessage = async (e: MessageEvent<{ only?: string }>) => {
  const figures: (BenchFigure & { suite: string })[] = [];
  try {
    for (const s of suites) {
      if (!s.browser || (e.data.only && !s.name.includes(e.data.only))) continue;
      self.postMessage({ progress: s.name });
      for (const f of await s.run({ where: 'chromium-worker' })) figures.push({ suite: s.name, ...f });
    }
    self.postMessage({ figures });
  } catch (err) {
    self.postMessage({ error: err instanceof Error ? `${err.message}\n${err.stack ?? ''}` : String(err) });
  }
};
