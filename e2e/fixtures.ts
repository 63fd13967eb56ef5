/**
 * The e2e test fixture: every test fails if the page logs a console error, throws, or a
 * request fails. `lab` is a typed helper over `window.kvmLab`.
 */
import { test as base, expect, type Page } from '@playwright/test';
import type { KvmLabApi } from '../src/automation/kvm-lab-api';
import type { EngineState } from '../workers/api/types';

/** The URL hash of the small `hello` scenario, which the shell tests step through. */
export const HELLO = '#scenario=hello';

/** A typed handle on `window.kvmLab` in the page. */
export class LabHelper {
  constructor(readonly page: Page) {}

  /** Opens the lab (optionally with a URL hash) and waits until the engine answered. */
  async open(hash = ''): Promise<void> {
    await this.page.goto(`./${hash}`);
    await this.page.waitForFunction(() => window.kvmLab !== undefined);
    await this.page.evaluate(() => window.kvmLab!.ready());
  }

  /** Calls an automation method in the page and returns its (serialisable) result. */
  call<K extends keyof KvmLabApi>(method: K, ...args: unknown[]): Promise<unknown> {
    return this.page.evaluate(
      async ([m, a]) => {
        const api = window.kvmLab as unknown as Record<string, (...x: unknown[]) => unknown>;
        return await api[m as string](...(a));
      },
      [method, args] as const,
    );
  }

  /** The engine state the UI last showed. */
  state(): Promise<EngineState | null> {
    return this.page.evaluate(() => window.kvmLab!.state());
  }

  /** Waits until queued engine calls are done. */
  idle(): Promise<void> {
    return this.page.evaluate(() => window.kvmLab!.idle());
  }
}

export const test = base.extend<{ lab: LabHelper; problems: string[] }>({
  problems: async ({ page }, use) => {
    const problems: string[] = [];
    page.on('console', (m) => {
      if (m.type() === 'error') problems.push(`console error: ${m.text()}`);
    });
    page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
    page.on('requestfailed', (r) => {
      // ERR_ABORTED is a load the page itself cancelled (a reload or navigation while the
      // favicon was still loading): not a missing or broken resource, which shows as an
      // HTTP status below or as another network error.
      if (r.failure()?.errorText === 'net::ERR_ABORTED') return;
      problems.push(`request failed: ${r.url()} (${r.failure()?.errorText})`);
    });
    page.on('response', (r) => {
      if (r.status() >= 400) problems.push(`HTTP ${r.status()}: ${r.url()}`);
    });
    await use(problems);
    expect(problems, 'the page logged errors or failed requests').toEqual([]);
  },
  lab: async ({ page, problems }, use) => {
    void problems;
    await use(new LabHelper(page));
  },
});

export { expect };
