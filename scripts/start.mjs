#!/usr/bin/env node
// `npm start`: installs dependencies if needed, builds the site and serves it on
// 127.0.0.1, printing the URL. Opens with the built-in default scenario.
import { execSync, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';

const run = (cmd) => execSync(cmd, { stdio: 'inherit' });
if (!existsSync('node_modules/.package-lock.json')) run('npm ci --no-audit --no-fund');
run('npx vite build --logLevel warn');
const child = spawn(process.execPath, ['scripts/serve.mjs', ...process.argv.slice(2)], { stdio: 'inherit' });
for (const sig of ['SIGINT', 'SIGTERM']) process.on(sig, () => child.kill(sig));
child.on('exit', (code) => process.exit(code ?? 0));
