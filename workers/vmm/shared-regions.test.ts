import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { SharedRegionsList } from './shared-regions.js';

describe('SharedRegionsList (§4.4)', () => {
  it('ignores duplicates, extends forward, inserts in order, splits on remove', () => {
    const l = new SharedRegionsList();
    expect(l.add(10n, 5n)).toBe('inserted');
    expect(l.add(11n, 2n)).toBe('duplicate');
    expect(l.add(14n, 4n)).toBe('extended');
    expect(l.add(2n, 3n)).toBe('inserted');
    expect(l.regions()).toEqual([{ start: 2, end: 5 }, { start: 10, end: 18 }]);
    expect(l.add(5n, 1n)).toBe('extended'); // starts at an entry's end: merged forward
    expect(l.add(8n, 2n)).toBe('inserted'); // ends where the next entry starts: not merged
    expect(l.regions()).toEqual([{ start: 2, end: 6 }, { start: 8, end: 10 }, { start: 10, end: 18 }]);
    expect(l.remove(12n, 2n)).toBe(1);
    expect(l.regions()).toEqual([{ start: 2, end: 6 }, { start: 8, end: 10 }, { start: 10, end: 12 }, { start: 14, end: 18 }]);
    expect(l.isShared(13)).toBe(false);
    expect(l.isShared(15)).toBe(true);
    expect(l.normalized()).toEqual([{ start: 2, end: 6 }, { start: 8, end: 12 }, { start: 14, end: 18 }]);
  });

  it('clamps ends past 2^52 frames', () => {
    const l = new SharedRegionsList();
    l.add((1n << 52n) - 1n, 1n << 60n);
    expect(l.regions()).toEqual([{ start: 2 ** 52 - 1, end: 2 ** 52 }]);
  });

  it('is the set of frames added and not removed since (property)', () => {
    const op = fc.record({ add: fc.boolean(), start: fc.integer({ min: 0, max: 200 }), n: fc.integer({ min: 1, max: 40 }) });
    fc.assert(
      fc.property(fc.array(op, { maxLength: 60 }), (ops) => {
        const l = new SharedRegionsList();
        const model = new Set<number>();
        for (const o of ops) {
          if (o.add) l.add(BigInt(o.start), BigInt(o.n));
          else l.remove(BigInt(o.start), BigInt(o.n));
          for (let g = o.start; g < o.start + o.n; g++) {
            if (o.add) model.add(g);
            else model.delete(g);
          }
        }
        for (let g = 0; g < 260; g++) expect(l.isShared(g)).toBe(model.has(g));
      }),
    );
  });
});
