/**
 * Runs the browser-capable suites in a Web Worker in headless Debian Chromium: builds
 * bench/browser with Vite, serves it on 127.0.0.1, opens it with Playwright and collects
 * the figures the page publishes.
 */
import { createServer } from 'node:http';
import { readFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { extname, join, resolve } from 'node:path';
import type { AddressInfo } from 'node:net';
import { chromium } from '@playwright/test';
import { build } from 'vite';
import { MARKER, RendererMemory } from './renderer-memory.js';
import type { BenchFigure } from './suite.js';

const CHROMIUM = '/usr/lib/chromium/chromium';
const OUT = resolve('bench-results/browser-dist');
/** The whole browser run's limit (the 1 GiB migration alone takes minutes). */
const TIMEOUT_MS = 1_800_000;

/** True when Debian's Chromium is installed. */
export function chromiumAvailable(): boolean {
  return existsSync(CHROMIUM);
}

/** Builds the bench page and runs it; resolves with the figures. */
export async function runInChromium(only: string | undefined): Promise<(BenchFigure & { suite: string })[]> {
  await build({
    root: resolve('bench/browser'),
    base: './',
    logLevel: 'warn',
    configFile: false,
    worker: { format: 'es' },
    build: { outDir: OUT, emptyOutDir: true, target: 'es2022' },
  });
  const types: Record<string, string> = { '.html': 'text/html', '.js': 'text/javascript', '.css': 'text/css' };
  const server = createServer((req, res) => {
    const path = join(OUT, new URL(req.url ?? '/', 'http://x').pathname.replace(/^\/$/, '/index.html'));
    readFile(path).then(
      (body) => {
        res.writeHead(200, { 'content-type': types[extname(path)] ?? 'application/octet-stream' });
        res.end(body);
      },
      () => {
        res.writeHead(404);
        res.end();
      },
    );
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as AddressInfo).port;
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: ['--host-resolver-rules=MAP * ~NOTFOUND , EXCLUDE localhost , EXCLUDE 127.0.0.1', MARKER, ...(process.env.BENCH_CHROMIUM_ARGS?.split(' ').filter(Boolean) ?? [])],
  });
  try {
    const page = await browser.newPage();
    await page.goto(`http://127.0.0.1:${port}/index.html${only ? `?only=${encodeURIComponent(only)}` : ''}`);
    // Poll rather than wait, to sample the renderer's memory under the running suite's name.
    const mem = new RendererMemory();
    const deadline = Date.now() + TIMEOUT_MS;
    for (;;) {
      const st = await page.evaluate(() => ({ done: window.__benchResult !== undefined, suite: document.getElementById('status')?.textContent ?? undefined }));
      if (st.done) break;
      mem.sample(st.suite);
      if (Date.now() > deadline) throw new Error(`bench in Chromium: no result after ${TIMEOUT_MS / 1000} s`);
      await new Promise((r) => setTimeout(r, 250));
    }
    const result = await page.evaluate(() => window.__benchResult!);
    if ('error' in result) throw new Error(`bench in Chromium failed: ${result.error}`);
    const ran = new Set(result.figures.map((f) => f.suite));
    const rss = [...mem.peaks].filter(([suite]) => ran.has(suite)).map(([suite, bytes]) => ({ suite, name: 'peak renderer RSS (page and all its workers)', where: 'chromium-worker', value: bytes / (1024 * 1024), unit: 'MiB' }));
    return [...result.figures, ...rss];
  } finally {
    await browser.close();
    server.close();
  }
}
