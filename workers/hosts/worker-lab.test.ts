// Hosts in workers give the one-process lab's run exactly: the same event log and the
// same stream bytes for the same seed, with the hosts in this thread behind a real
// MessageChannel and in worker_threads through comlink.
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { VirtualClock } from '../core/clock.js';
import { EventLog, toJsonLines } from '../core/event-log.js';
import { parseMigrationParams } from '../machines/sev-migration/params.js';
import { defaultParams, makeLab, runUntil } from '../machines/sev-migration/test-support/lab.js';
import { inThreadPlatform, workerThreadPlatform } from './test-support/platforms.js';
import { WorkerLab } from './worker-lab.js';

const STEPS = 1500;

function oneProcess(seed: number) {
  const h = createHash('sha256');
  const t = makeLab({}, seed, { streams: (i, which, b) => void (i === 0 && which === 'sent' && h.update(b)) });
  runUntil(t.lab, () => false, STEPS);
  return { log: toJsonLines(t.log.slice()), stream: h.digest('hex') };
}

async function inWorkers(seed: number, platform: ReturnType<typeof inThreadPlatform>, digest: () => string) {
  const clock = new VirtualClock();
  const log = new EventLog(clock);
  const lab = await WorkerLab.create({ log, clock }, parseMigrationParams(defaultParams({}), 'params'), seed, platform);
  for (let i = 0; i < STEPS && (await lab.step()); i++);
  const stats = await Promise.all(lab.hosts.map((h) => h.link.aheadStats()));
  lab.dispose();
  return { log: toJsonLines(log.slice()), stream: digest(), stats };
}

describe('WorkerLab', () => {
  it('hosts in this thread behind a MessageChannel: the same log and stream as one process', { timeout: 600_000 }, async () => {
    const h = createHash('sha256');
    const w = await inWorkers(1, inThreadPlatform((from, b) => void (from === 'a' && h.update(b))), () => h.digest('hex'));
    const one = oneProcess(1);
    expect(w.log.length).toBeGreaterThan(10_000);
    expect(w.stream).toBe(one.stream);
    expect(w.log).toBe(one.log);
    expect(w.stats[0].send.hits).toBeGreaterThan(0);
  });
});

describe('WorkerLab in worker_threads', () => {
  it('each host in its own thread (comlink, transferred chunks): the same log as one process', { timeout: 600_000 }, async () => {
    const w = await inWorkers(1, workerThreadPlatform(), () => '');
    expect(w.log).toBe(oneProcess(1).log);
    expect(w.stats[1].receive.hits).toBeGreaterThan(0);
  });
});
