import { ESLint, type Linter } from 'eslint';
import tseslint from 'typescript-eslint';
import { describe, expect, it } from 'vitest';

// The engine's determinism is enforced by the project's real ESLint config: these cases
// lint text as if it were in a workers/ file and expect the ban to fire. The bans are
// syntax rules, so type information is switched off here: no TypeScript program is built
// for a one-line text (that was slow, and once, on a loaded CI machine, came back empty).
describe('lint keeps workers/ deterministic and DOM-free', () => {
  /** Lints `code` as the file `filePath`; returns the rule ids and, for a failure message, what ESLint said. */
  const lint = async (code: string, filePath = 'workers/core/clock.ts') => {
    // A fresh instance per case: no state carried between cases.
    const eslint = new ESLint({ cwd: process.cwd(), overrideConfig: tseslint.configs.disableTypeChecked as Linter.Config });
    const [result] = await eslint.lintText(code, { filePath });
    const config = (await eslint.calculateConfigForFile(filePath)) as { rules?: Record<string, unknown> };
    const why = JSON.stringify({
      file: result.filePath,
      messages: result.messages,
      restricted: config.rules?.['no-restricted-properties'],
    });
    return { ids: result.messages.map((m) => m.ruleId), why };
  };

  it.each([
    ['Math.random()', 'no-restricted-properties'],
    ['Date.now()', 'no-restricted-properties'],
    ['new Date()', 'no-restricted-syntax'],
    ['setTimeout(() => 1, 5)', 'no-restricted-globals'],
    ['performance.now()', 'no-restricted-globals'],
  ])('flags %s in engine code', async (code, rule) => {
    const { ids, why } = await lint(`export const x = ${code};\n`);
    expect(ids, why).toContain(rule);
  }, 60_000);

  it('allows the same in UI code', async () => {
    const { ids, why } = await lint('export const x = Math.random();\n', 'src/state/store.ts');
    expect(ids, why).not.toContain('no-restricted-properties');
  }, 60_000);
});
