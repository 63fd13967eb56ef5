/**
 * Properties of the layout rules over random small layouts, on every profile:
 * frames never overlap and each vCPU has at most one; registered regions keep indexes
 * 0..n−1; an accepted layout places every vCPU in exactly one frame, clear of the DIST
 * (and, in 5.16, inside the IPA), and the highest frame carries Last (5.13/5.16); the
 * evaluation's script replays to the same answers; REDIST_REGION reads back what was set.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Harness } from '../test-support/harness.js';
import { checkVgicResult } from '../script/check.js';
import { runVgicScript } from '../script/runner.js';
import { ADDR } from '../uapi.js';
import { encodeRedistRegion } from '../kernel/vgic-addr.js';
import { evaluateLayout } from './evaluate.js';
import type { LayoutEvaluation, VgicLayout } from './types.js';

const FRAME = 0x20000n;
const TOP = 1n << 40n;

/** Small layouts in a 4 MiB window, at address 0 or just below the 40-bit IPA top. */
const layouts = fc
  .record({
    profile: fc.constantFrom('5.12' as const, '5.13' as const, '5.16' as const),
    ids: fc.uniqueArray(fc.integer({ min: 0, max: 40 }), { maxLength: 7 }),
    dist: fc.option(fc.integer({ min: 0, max: 63 }), { nil: undefined }),
    legacy: fc.option(fc.integer({ min: 0, max: 63 }), { nil: undefined }),
    regions: fc.array(fc.record({ next: fc.boolean(), index: fc.integer({ min: 0, max: 3 }), slot: fc.integer({ min: 0, max: 63 }), count: fc.integer({ min: 1, max: 4 }) }), { maxLength: 4 }),
    order: fc.constantFrom('dist-first' as const, 'dist-last' as const),
    nearTop: fc.boolean(),
  })
  .map((r): VgicLayout => {
    const origin = r.nearTop ? TOP - 0x400000n : 0n;
    const at = (slot: number) => '0x' + (origin + BigInt(slot) * 0x10000n).toString(16);
    return {
      profile: r.profile,
      vcpus: r.ids.length,
      vcpuIds: r.ids,
      ...(r.dist === undefined ? {} : { dist: { base: at(r.dist) } }),
      ...(r.legacy === undefined ? {} : { redist: { base: at(r.legacy) } }),
      regions: r.regions.map((g, i) => ({ index: g.next ? i : g.index, base: at(g.slot), count: g.count })),
      order: r.order,
    };
  });

const span = (x: { base: string; end: string }) => [BigInt(x.base), BigInt(x.end)] as const;
const meets = (a: readonly [bigint, bigint], b: readonly [bigint, bigint]) => a[0] < b[1] && b[0] < a[1];

function checkInvariants(layout: VgicLayout, e: LayoutEvaluation): void {
  expect(e.error).toBeUndefined();
  const frames = e.frames.map(span);
  frames.forEach((f, i) => {
    expect(f[1] - f[0]).toBe(FRAME);
    for (const g of frames.slice(i + 1)) expect(meets(f, g)).toBe(false);
  });
  expect(new Set(e.frames.map((f) => f.vcpuId)).size).toBe(e.frames.length);
  for (const f of e.frames) {
    const r = e.regions.find((x) => x.index === f.regionIndex)!;
    expect(BigInt(f.base)).toBe(BigInt(r.base) + BigInt(f.slot) * FRAME);
    expect(f.slot).toBeLessThan(r.used);
  }
  expect(e.regions.map((r) => r.index)).toEqual(e.regions.map((_, i) => i));
  if (!e.ok) return;
  expect(e.unplaced).toEqual([]);
  expect(e.frames.map((f) => f.vcpuId).sort((a, b) => a - b)).toEqual([...(layout.vcpuIds ?? [])].sort((a, b) => a - b));
  if (e.dist) for (const f of frames) expect(meets(f, span(e.dist))).toBe(false);
  if (layout.profile === '5.16') for (const f of frames) expect(f[1] <= TOP).toBe(true);
  if (layout.profile !== '5.12' && e.frames.length) expect(e.frames.at(-1)!.typer!.last).toBe(true);
}

describe('layout properties', () => {
  it('hold for every evaluation, and an accepted layout places every vCPU exactly once', () => {
    let accepted = 0;
    fc.assert(
      fc.property(layouts, (layout) => {
        const e = evaluateLayout(layout);
        checkInvariants(layout, e);
        if (e.ok && e.frames.length) accepted++;
      }),
      { numRuns: 400, seed: 1 },
    );
    expect(accepted).toBeGreaterThan(20); // the generator reaches valid layouts, not only errors
  });

  it('the evaluation script replays to the same answers', () => {
    fc.assert(
      fc.property(layouts, (layout) => {
        const e = evaluateLayout(layout);
        expect(checkVgicResult(e.script, runVgicScript(e.script))).toEqual([]);
      }),
      { numRuns: 150, seed: 2 },
    );
  });

  it('REDIST_REGION reads back index | base | count << 52 for every accepted region (5.13, 5.16)', () => {
    const regionArb = fc.record({
      profile: fc.constantFrom('5.13' as const, '5.16' as const),
      vcpus: fc.integer({ min: 0, max: 5 }),
      regions: fc.array(fc.record({ slot: fc.integer({ min: 0, max: 1 << 20 }), count: fc.integer({ min: 1, max: 4095 }) }), { minLength: 1, maxLength: 5 }),
    });
    fc.assert(
      fc.property(regionArb, ({ profile, vcpus, regions }) => {
        const h = new Harness(profile, 48);
        h.vcpus(...Array.from({ length: vcpus }, (_, i) => i));
        h.v3();
        let index = 0;
        for (const r of regions) {
          const base = BigInt(r.slot) * 0x10000n;
          if (h.region(index, base, r.count) !== 0) continue;
          expect(h.getAddr(ADDR.REDIST_REGION, BigInt(index))).toBe(encodeRedistRegion({ index, base, count: r.count, flags: 0 }));
          index++;
        }
      }),
      { numRuns: 200, seed: 3 },
    );
  });
});
