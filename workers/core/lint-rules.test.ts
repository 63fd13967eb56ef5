import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';

// The engine's determinism is enforced by the project's real ESLint config: these cases
// lint text as if it were in a workers/ file and expect the ban to fire.
describe('lint keeps workers/ deterministic and DOM-free', () => {
  const eslint = new ESLint({ cwd: process.cwd() });
  const lint = async (code: string, filePath = 'workers/core/clock.ts') => {
    const [result] = await eslint.lintText(code, { filePath });
    return result.messages.map((m) => m.ruleId);
  };

  it.each([
    ['Math.random()', 'no-restricted-properties'],
    ['Date.now()', 'no-restricted-properties'],
    ['new Date()', 'no-restricted-syntax'],
    ['setTimeout(() => 1, 5)', 'no-restricted-globals'],
    ['performance.now()', 'no-restricted-globals'],
  ])('flags %s in engine code', async (code, rule) => {
    expect(await lint(`export const x = ${code};\n`)).toContain(rule);
  }, 60_000);

  it('allows the same in UI code', async () => {
    expect(await lint('export const x = Math.random();\n', 'src/state/store.ts')).not.toContain('no-restricted-properties');
  }, 60_000);
});
