/**
 * The vGIC part of the engine API: catalog, evaluation on every profile, the layout
 * document, and the script player with the layout it draws at each cursor.
 */
import { TWO_REGIONS_8_VCPUS } from '../vgic/test-support/layouts.js';
import { describe, expect, it } from 'vitest';
import { Engine } from './engine.js';
import type { Json, VgicLayout } from './types.js';

const engine = new Engine();
const twoRegions = TWO_REGIONS_8_VCPUS;

describe('vgic engine API', () => {
  it('lists presets, fixes, the three profiles and every built-in script', () => {
    const c = engine.vgicCatalog();
    expect(c.profiles).toEqual(['5.12', '5.13', '5.16']);
    expect(c.presets.map((p) => p.name)).toContain('qemu-virt-512');
    expect(c.fixes.length).toBeGreaterThan(3);
    expect(c.scripts).toHaveLength(23);
    expect(c.scripts.find((s) => s.id === '5.13/06-test_last_bit_redist_regions')).toMatchObject({
      kernel: '5.13',
      steps: 26,
    });
    expect(c.geometry.redistFrameSize).toBe(0x20000);
  });

  it('gives a built-in script by id and refuses an unknown one', () => {
    const s = engine.vgicBuiltinScript('5.16/09-test_v3_its_region');
    expect(s.ok && (s.value as { name: string }).name).toBe('test_v3_its_region');
    const bad = engine.vgicBuiltinScript('nope');
    expect(bad.ok).toBe(false);
  });

  it('compares a layout under 5.12, 5.13 and 5.16 (Last differs in 5.12)', () => {
    const v = engine.vgicCompareProfiles(twoRegions);
    expect(v.map((x) => x.profile)).toEqual(['5.12', '5.13', '5.16']);
    const lastOf = (p: number) => v[p].frames.filter((f) => f.last).map((f) => f.vcpuId);
    expect(lastOf(1)).toEqual([3, 7]);
    expect(lastOf(2)).toEqual([3, 7]);
    expect(lastOf(0)).toEqual([7]); // 5.12: vCPU id = number of vCPUs − 1
  });

  it('shows the 5.16 IPA-range check as a difference', () => {
    // A region whose base is inside the 40-bit IPA but whose frames straddle its top.
    const top: VgicLayout = {
      profile: '5.13',
      vcpus: 2,
      dist: { base: '0x0' },
      regions: [{ index: 0, base: '0xfffffe0000', count: 2 }],
    };
    const v = engine.vgicCompareProfiles(top);
    expect(v[1].ok).toBe(true);
    expect(v[2].ok).toBe(false);
    expect(v[2].failures[0]).toMatchObject({ errno: 'E2BIG', target: 'region:0' });
  });

  it('reads a layout document, naming the path of the first problem', () => {
    const doc = { format: 'kvm-lab/vgic-layout', version: 1, name: 'two', ...twoRegions, junk: 1 };
    const r = engine.vgicReadLayoutDoc(doc);
    expect(r.ok && r.value).toEqual({ format: 'kvm-lab/vgic-layout', version: 1, name: 'two', ...twoRegions });
    const bad = { ...doc, regions: [twoRegions.regions![0], { index: 1, base: 'zz', count: 4 }] };
    const e = engine.vgicReadLayoutDoc(bad);
    expect(!e.ok && e.error).toMatch(/^regions\[1\]\.base: /);
    const wrong = engine.vgicReadLayoutDoc({ format: 'kvm-lab/vgic-script', version: 1 });
    expect(!wrong.ok && wrong.error).toMatch(/^format: /);
    const newer = engine.vgicReadLayoutDoc({ ...doc, version: 2 });
    expect(!newer.ok && newer.error).toMatch(/^version: /);
  });

  it('round-trips a layout through its document', () => {
    const d = engine.vgicLayoutDoc(twoRegions, 'mine');
    expect(d.ok).toBe(true);
    const back = engine.vgicReadLayoutDoc(JSON.parse(JSON.stringify(d.ok && d.value)) as Json);
    expect(back).toEqual(d);
  });

  it('replays the script a layout produces, every expectation met', () => {
    const e = engine.vgicEvaluate(twoRegions);
    const p = engine.vgicPlayScript(e.script, 1000);
    expect(p.total).toBe(e.steps.length);
    expect(p.upTo).toBe(p.total);
    expect(p.matches.every((m) => m === true)).toBe(true);
    expect(p.view?.layout).toEqual(twoRegions);
  });

  it('draws a selftest script as it plays: blocks appear step by step and a failed run clears them', () => {
    const s = engine.vgicBuiltinScript('5.13/06-test_last_bit_redist_regions');
    if (!s.ok) throw new Error(s.error);
    const at = (k: number) => engine.vgicPlayScript(s.value, k);
    expect(at(0).view).toBeUndefined();
    expect(at(1).view?.layout).toEqual({ profile: '5.13', vcpus: 0 });
    const full = at(1000);
    expect(full.matches.filter((m) => m === false)).toEqual([]);
    expect(full.view).toBeUndefined(); // the script ends with close_vm
    const last = at(full.total - 2).view?.layout;
    expect(last?.vcpuIds).toEqual([0, 3, 5, 4, 1, 2]);
    expect(last?.regions?.map((r) => r.base)).toEqual(['0x100000', '0x240000', '0x200000']);
    expect(at(16).view?.layout.regions).toHaveLength(1);

    const t = engine.vgicBuiltinScript('5.13/02-test_vcpus_then_vgic');
    if (!t.ok) throw new Error(t.error);
    const steps = (t.value as { steps: { op: string }[] }).steps;
    const run = steps.findIndex((x) => x.op === 'run');
    const before = engine.vgicPlayScript(t.value, run);
    const after = engine.vgicPlayScript(t.value, run + 1);
    expect(before.view?.layout.redist).toBeDefined();
    expect(after.result.steps[run]).toMatchObject({ errno: 'EINVAL' });
    expect(after.view?.layout.redist).toBeUndefined();
    expect(after.view?.layout.dist).toBeUndefined();
  });

  it('reports a malformed script with its path and never throws', () => {
    const p = engine.vgicPlayScript(
      {
        format: 'kvm-lab/vgic-script',
        version: 1,
        steps: [
          { op: 'create_vm', vm: 'vm' },
          { op: 'set_attr', dev: 'gic', group: 0, attr: 2 },
        ],
      },
      2,
    );
    expect(p.result.steps[1]).toEqual({ error: expect.stringMatching(/^steps\[1\]\.dev: /) as unknown });
    expect(p.view?.vm).toBe('vm');
    const junk = engine.vgicPlayScript('not a script', 3);
    expect(junk.total).toBe(0);
    expect(junk.result.error).toBeDefined();
    expect(junk.view).toBeUndefined();
    expect(engine.vgicEvaluate(null).error).toBeDefined();
  });
});
