/** The link model: bandwidth and latency in virtual time, order, taps, and a cut. */
import { describe, expect, it } from 'vitest';
import { Wire, type WireEnvelope } from './wire.js';
import { StreamReader, NeedMoreData } from './stream/reader.js';
import { StreamWriter } from './stream/writer.js';

const MB = 1e6;

describe('Wire', () => {
  it('serialises data at the bandwidth, adds the latency, and lets the sender go when the previous chunk left', () => {
    const w = new Wire({ bandwidth: 100 * MB, latencyNs: 1e6 });
    const a = w.a.out.send({ type: 'data', bytes: new Uint8Array(1_000_000), offset: 0 }, 0);
    expect(a).toEqual({ returnsAt: 0, arriveAt: 10e6 + 1e6 });
    // The next chunk waits for the first to leave the wire (one chunk of send buffer).
    const b = w.a.out.send({ type: 'data', bytes: new Uint8Array(500_000), offset: 1_000_000 }, 2e6);
    expect(b).toEqual({ returnsAt: 10e6, arriveAt: 15e6 + 1e6 });
    // A FIN queues behind the data (never overtakes it) but does not block the sender.
    const f = w.a.out.send({ type: 'fin' }, 3e6);
    expect(f).toEqual({ returnsAt: 3e6, arriveAt: 16e6 });
    expect(w.b.in.nextArrival()).toBe(11e6);
    expect(w.b.in.poll(10e6)).toBeUndefined();
    const got: WireEnvelope[] = [];
    for (let e = w.b.in.poll(Infinity); e; e = w.b.in.poll(Infinity)) got.push(e);
    expect(got.map((e) => [e.msg.type, e.arriveAt])).toEqual([
      ['data', 11e6],
      ['data', 16e6],
      ['fin', 16e6],
    ]);
  });

  it('runs every a → b envelope through the taps in order', () => {
    const w = new Wire({ bandwidth: 1e9, latencyNs: 0 });
    const seen: string[] = [];
    w.taps.push((e) => (seen.push(`1:${e.msg.type}`), [e, { ...e, msg: { type: 'fin' as const } }]));
    w.taps.push((e) => (seen.push(`2:${e.msg.type}`), e.msg.type === 'fin' ? [] : [e]));
    w.a.out.send({ type: 'syn' }, 0);
    expect(seen).toEqual(['1:syn', '2:syn', '2:fin']);
    expect(w.b.in.poll(0)?.msg.type).toBe('syn');
    expect(w.b.in.poll(0)).toBeUndefined();
  });

  it('a cut loses what is in flight and later sends; each end gets a reset detectNs later', () => {
    const w = new Wire({ bandwidth: 1 * MB, latencyNs: 1e6, detectNs: 5e8 });
    w.a.out.send({ type: 'data', bytes: new Uint8Array(1000), offset: 0 }, 0); // arrives at 2 ms
    w.a.out.send({ type: 'data', bytes: new Uint8Array(1000), offset: 1000 }, 0); // arrives at 3 ms
    w.cut(2.5e6);
    expect(w.a.out.send({ type: 'data', bytes: new Uint8Array(10), offset: 2000 }, 3e6).arriveAt).toBe(Infinity);
    const atB: string[] = [];
    for (let e = w.b.in.poll(Infinity); e; e = w.b.in.poll(Infinity)) atB.push(`${e.msg.type}@${e.arriveAt}`);
    expect(atB).toEqual(['data@2000000', 'rst@502500000']);
    const atA = w.a.in.poll(Infinity)!;
    expect(atA).toMatchObject({ arriveAt: 502.5e6, msg: { type: 'rst', reason: 'Connection timed out' } });
  });
});

describe('StreamWriter / StreamReader', () => {
  it('round-trip big-endian values and idstrs, across chunk boundaries, with NeedMoreData at the end', () => {
    const w = new StreamWriter(4);
    w.u8(0xab);
    w.be32(0xdeadbeef);
    w.be64(0x1_2345_6789_a000 + 0x20);
    w.str8('pc.ram');
    w.reserve(3).set([1, 2, 3]);
    expect(w.offset).toBe(1 + 4 + 8 + 7 + 3);
    const bytes = w.take();
    expect(w.offset).toBe(bytes.length);
    const r = new StreamReader();
    r.push(bytes.subarray(0, 6));
    r.push(bytes.subarray(6));
    expect([r.u8(), r.be32(), r.be64(), r.str8()]).toEqual([0xab, 0xdeadbeef, 0x1_2345_6789_a020, 'pc.ram']);
    expect(Array.from(r.bytes(3))).toEqual([1, 2, 3]);
    expect(() => r.u8()).toThrow(NeedMoreData);
  });

  it('reads a be64 at or above 2^53 as Infinity (never a valid offset)', () => {
    const r = new StreamReader();
    r.push(new Uint8Array([0x00, 0x20, 0, 0, 0, 0, 0, 0, 0x00, 0x1f, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff]));
    expect(r.be64()).toBe(Infinity);
    expect(r.be64()).toBe(Number.MAX_SAFE_INTEGER);
  });
});
