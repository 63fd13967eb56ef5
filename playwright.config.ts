import { defineConfig } from '@playwright/test';

/** The site is served under a sub-path to prove `base: './'` works from anywhere. */
export const E2E_BASE_PATH = '/course/kvm-lab/';
const PORT = 4319;

export default defineConfig({
  testDir: 'e2e',
  outputDir: 'test-results/e2e',
  timeout: 60_000,
  expect: { timeout: 10_000 },
  fullyParallel: true,
  workers: 2,
  retries: 0,
  reporter: process.env.CI_JSON
    ? [['list'], ['json', { outputFile: 'test-results/playwright.json' }]]
    : [['list']],
  use: {
    baseURL: `http://127.0.0.1:${PORT}${E2E_BASE_PATH}`,
    launchOptions: {
      executablePath: '/usr/lib/chromium/chromium',
      args: ['--host-resolver-rules=MAP * ~NOTFOUND , EXCLUDE localhost , EXCLUDE 127.0.0.1'],
    },
    screenshot: 'only-on-failure',
    trace: 'retain-on-failure',
  },
  webServer: {
    command: `npx vite build --logLevel warn && node scripts/serve.mjs --port ${PORT} --base ${E2E_BASE_PATH}`,
    url: `http://127.0.0.1:${PORT}${E2E_BASE_PATH}`,
    reuseExistingServer: false,
    timeout: 120_000,
  },
});
