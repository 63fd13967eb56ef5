/**
 * Runs every vgic-script in `scripts/` with check semantics under its own kernel, and
 * under the two other profiles against `scripts/profile-differences.json`: the three
 * behaviours must differ exactly where the reference (§8, §9.1, §11.1) says, no more.
 */
import { readFileSync, readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { KERNEL_PROFILES } from './kernel/profiles.js';
import { checkVgicResult } from './script/check.js';
import { runVgicScript } from './script/runner.js';

const root = fileURLToPath(new URL('./scripts/', import.meta.url));
const scripts = readdirSync(root, { withFileTypes: true })
  .filter((d) => d.isDirectory())
  .flatMap((d) => readdirSync(root + d.name).filter((f) => f.endsWith('.json')).map((f) => `${d.name}/${f}`))
  .sort();
const load = (name: string) => JSON.parse(readFileSync(root + name, 'utf8')) as { kernel: string; name: string; steps: Record<string, unknown>[] };

interface Difference {
  script: string;
  under: string;
  steps: Record<string, unknown>;
  why: string;
}
const differences = (JSON.parse(readFileSync(root + 'profile-differences.json', 'utf8')) as { differences: Difference[] }).differences;

describe('vgic-scripts', () => {
  it('has one script per selftest case and one per 5.12 fix', () => {
    const names = (dir: string) => scripts.filter((s) => s.startsWith(dir + '/')).map((s) => load(s).name);
    const cases513 = ['test_kvm_device', 'test_vcpus_then_vgic', 'test_vgic_then_vcpus', 'test_new_redist_regions', 'test_typer_accesses', 'test_last_bit_redist_regions', 'test_last_bit_single_rdist'];
    expect(names('5.13')).toEqual(cases513);
    expect(names('5.16')).toEqual([...cases513, 'test_v3_redist_ipa_range_check_at_vcpu_run', 'test_v3_its_region']);
    expect(names('5.12')).toHaveLength(7);
  });

  it.each(scripts)('%s: every step has an expectation', (name) => {
    const doc = load(name);
    expect(doc.kernel).toBe(name.slice(0, 4));
    expect(doc.steps.filter((s) => !('expect' in s))).toEqual([]);
  });

  it.each(scripts)('%s passes --check under its own kernel', (name) => {
    const doc = load(name);
    const result = runVgicScript(doc, { file: name });
    expect(result.error).toBeUndefined();
    expect(result.steps).toHaveLength(doc.steps.length);
    expect(checkVgicResult(doc, result).map((m) => m.message)).toEqual([]);
  });

  it.each(scripts)('%s differs under the other kernels exactly as profile-differences.json says', (name) => {
    const doc = load(name);
    for (const profile of KERNEL_PROFILES.filter((p) => p !== doc.kernel)) {
      const result = runVgicScript({ ...doc, kernel: profile });
      const got: Record<string, unknown> = {};
      for (const m of checkVgicResult(doc, result)) {
        const { why: _why, ...actual } = (m.actual ?? { missing: true }) as Record<string, unknown>;
        got[String(m.step)] = actual;
      }
      const listed = differences.find((d) => d.script === name && d.under === profile);
      expect({ profile, steps: got }).toEqual({ profile, steps: listed?.steps ?? {} });
    }
  });

  it('lists no difference for a script that does not exist, and gives every one a reason', () => {
    for (const d of differences) {
      expect(scripts).toContain(d.script);
      expect(d.why.length).toBeGreaterThan(20);
    }
  });

  it('5.13 selftests pass unchanged on 5.16 (the 5.16 series only added checks the 5.13 cases never reach)', () => {
    expect(differences.filter((d) => d.script.startsWith('5.13/') && d.under === '5.16')).toEqual([]);
  });
});
