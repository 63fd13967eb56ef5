import { describe, expect, it } from 'vitest';
import { Engine } from '../api/engine.js';
import { parseSnapshotDoc } from './snapshot.js';
import { SeededRng } from './rng.js';

describe('SeededRng', () => {
  it('gives the same bytes for the same seed and different bytes for another', () => {
    const a = SeededRng.fromSeed(7).bytes(100);
    expect(SeededRng.fromSeed(7).bytes(100)).toEqual(a);
    expect(SeededRng.fromSeed(8).bytes(100)).not.toEqual(a);
  });
  it('draws the same stream in pieces as at once, across refills', () => {
    const whole = SeededRng.fromSeed('x').bytes(10_000);
    const r = SeededRng.fromSeed('x');
    const parts = [r.bytes(3), r.bytes(4093), r.bytes(5000), r.bytes(904)];
    expect(Buffer.concat(parts)).toEqual(Buffer.from(whole));
  });
  it('restores from its state mid-stream', () => {
    const r = SeededRng.fromSeed(1);
    r.bytes(5000);
    const again = SeededRng.restore(r.state());
    expect(again.bytes(64)).toEqual(r.bytes(64));
  });
  it('forks independent, reproducible streams', () => {
    const root = SeededRng.fromSeed(3);
    expect(root.fork('psp').bytes(16)).toEqual(SeededRng.fromSeed(3).fork('psp').bytes(16));
    expect(root.fork('psp').bytes(16)).not.toEqual(root.fork('guest').bytes(16));
  });
  it('keeps ints within range', () => {
    const r = SeededRng.fromSeed(9);
    for (let i = 0; i < 1000; i++) {
      const v = r.int(-3, 4);
      expect(v).toBeGreaterThanOrEqual(-3);
      expect(v).toBeLessThan(4);
    }
  });
});

describe('Session on the hello scenario', () => {
  // The lab opens the migration scenario by default; these tests run on hello.
  const helloEngine = (): Engine => {
    const e = new Engine();
    e.load('hello');
    return e;
  };

  const runAll = (e: Engine) => {
    while (!e.state().idle) e.step();
    return e.events();
  };

  it('is deterministic: same seed, same log; other seed, other nonces', () => {
    const a = runAll(helloEngine());
    expect(runAll(helloEngine())).toEqual(a);
    const other = helloEngine();
    other.load('hello', 2);
    expect(runAll(other)).not.toEqual(a);
    expect(a.map((e) => e.seq)).toEqual(a.map((_, i) => i));
  });

  it('steps back by replaying, and forward again to the same events', () => {
    const e = helloEngine();
    e.step(6);
    const at6 = e.events();
    e.back(2);
    expect(e.state().cursor).toBe(4);
    expect(e.events()).toEqual(at6.slice(0, e.state().events));
    e.step(2);
    expect(e.events()).toEqual(at6);
  });

  it('jumps to the action that produced an event', () => {
    const e = helloEngine();
    const all = runAll(e);
    const target = all.find((x) => x.kind === 'hello.receive')!;
    e.seekToEvent(target.seq);
    expect(e.events().at(-1)).toEqual(target);
  });

  it('starts a new branch when an input is made behind the end', () => {
    const e = helloEngine();
    e.step(5);
    e.back(3);
    const r = e.input({ monitor: 'info status' });
    expect(r).toMatchObject({ ok: true, text: 'VM status: running' });
    expect(e.state().length).toBe(3);
    expect(e.events().at(-1)).toMatchObject({ kind: 'console.line', payload: { text: 'VM status: running' } });
  });

  it('round-trips a session document to the same log', () => {
    const e = helloEngine();
    e.step(4);
    e.input({ monitor: 'info status' });
    e.step(2);
    e.back(1);
    const doc = JSON.parse(JSON.stringify(e.exportSession())) as unknown as Parameters<Engine['importSession']>[0];
    const f = helloEngine();
    expect(f.importSession(doc)).toMatchObject({ ok: true });
    expect(f.events()).toEqual(e.events());
    expect(f.state().cursor).toBe(e.state().cursor);
  });

  it('writes snapshots that parse back, and refuses other formats and newer versions', () => {
    const e = helloEngine();
    e.step(3);
    const snap = JSON.parse(JSON.stringify(e.snapshot())) as unknown;
    expect(parseSnapshotDoc(snap)).toEqual(e.snapshot());
    expect(() => parseSnapshotDoc({ ...(snap as object), format: 'kvm-lab/session' })).toThrow(/format: expected "kvm-lab\/snapshot"/);
    expect(() => parseSnapshotDoc({ ...(snap as object), version: 2 })).toThrow(/newer than this lab understands/);
  });

  it('reports bad scenarios with the path of the problem', () => {
    const e = helloEngine();
    const r = e.load({ format: 'kvm-lab/scenario', version: 1, name: 'x', title: 'x', machine: 'hello', params: { greetings: 0 } });
    expect(r).toEqual({ ok: false, error: 'params.greetings: expected an integer 1..1000' });
    expect(e.load('nope')).toMatchObject({ ok: false, error: expect.stringContaining('unknown scenario "nope"') as string });
  });

  it('runs until an event, and says so when none comes', () => {
    const e = helloEngine();
    const hit = e.runUntil({ kind: 'hello.halt' });
    expect(hit).toMatchObject({ ok: true, value: { kind: 'hello.halt', component: 'vmm@src' } });
    expect(e.runUntil({ kind: 'never' })).toMatchObject({ ok: false });
  });
});
