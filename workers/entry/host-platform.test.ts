// A host worker that dies mid-call: the call in flight and every later call reject with
// a message naming the host, instead of waiting forever.
import { describe, expect, it } from 'vitest';
import { browserHostPlatform } from './host-platform.js';

/** A stand-in Worker that takes messages and never answers, and can "die". */
class SilentWorker extends EventTarget {
  posted = 0;
  terminated = false;
  postMessage(): void {
    this.posted++;
  }
  terminate(): void {
    this.terminated = true;
  }
  die(message: string): void {
    this.dispatchEvent(Object.assign(new Event('error', { cancelable: true }), { message }));
  }
}

describe('browserHostPlatform', () => {
  it('rejects calls in flight and later calls once the host worker dies, naming the host', async () => {
    const workers: SilentWorker[] = [];
    const platform = browserHostPlatform(() => {
      const w = new SilentWorker();
      workers.push(w);
      return w as unknown as Worker;
    });
    const link = platform.spawnHost('dst');
    const inFlight = link.step({});
    expect(workers[0].posted).toBe(1);
    workers[0].die('out of memory');
    await expect(inFlight).rejects.toThrow('the worker of host "dst" stopped: out of memory');
    await expect(link.migratedPages()).rejects.toThrow('the worker of host "dst" stopped');
    platform.dispose(link);
    expect(workers[0].terminated).toBe(true);
  });
});
