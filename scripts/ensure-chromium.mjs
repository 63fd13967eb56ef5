#!/usr/bin/env node
// Makes sure Debian's Chromium is installed (Playwright cannot download its own browser
// here): installs the `chromium` package with apt-get when /usr/lib/chromium/chromium is absent.
import { execSync } from 'node:child_process';
import { existsSync } from 'node:fs';

export const CHROMIUM = '/usr/lib/chromium/chromium';

if (!existsSync(CHROMIUM)) {
  console.log('test: installing Debian chromium with apt-get (first run on this machine) ...');
  const sudo = process.getuid && process.getuid() !== 0 ? 'sudo ' : '';
  execSync(`${sudo}apt-get update -qq && ${sudo}env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium`, {
    stdio: 'inherit',
  });
}
