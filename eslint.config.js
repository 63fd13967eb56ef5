// Lint for kvm-lab: type-checked TypeScript everywhere, and in workers/ the rules that
// keep the engine deterministic and DOM-free (see docs/ARCHITECTURE.md, "Determinism").
import js from '@eslint/js';
import reactHooks from 'eslint-plugin-react-hooks';
import globals from 'globals';
import tseslint from 'typescript-eslint';

const nondeterministic = {
  'no-restricted-globals': [
    'error',
    { name: 'setTimeout', message: 'The engine has no timers: advance the injected VirtualClock.' },
    { name: 'setInterval', message: 'The engine has no timers: advance the injected VirtualClock.' },
    { name: 'requestAnimationFrame', message: 'The engine has no frames: the UI drives it.' },
    { name: 'performance', message: 'The engine reads only the injected clock.' },
    { name: 'document', message: 'workers/ is DOM-free.' },
    { name: 'window', message: 'workers/ is DOM-free.' },
    { name: 'localStorage', message: 'workers/ is DOM-free.' },
  ],
  'no-restricted-properties': [
    'error',
    { object: 'Math', property: 'random', message: 'Use the injected SeededRng (workers/core/rng.ts).' },
    { object: 'Date', property: 'now', message: 'Use the injected VirtualClock (workers/core/clock.ts).' },
    { object: 'performance', property: 'now', message: 'Use the injected VirtualClock.' },
  ],
  'no-restricted-syntax': [
    'error',
    { selector: "NewExpression[callee.name='Date']", message: 'Use the injected VirtualClock.' },
  ],
};

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', 'test-results/**', 'playwright-report/**', 'bench-results/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      parserOptions: {
        project: ['./workers/tsconfig.json', './tsconfig.worker-entry.json', './tsconfig.app.json', './tsconfig.node.json'],
        tsconfigRootDir: import.meta.dirname,
      },
    },
    rules: {
      '@typescript-eslint/consistent-type-imports': ['error', { fixStyle: 'inline-type-imports' }],
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/naming-convention': [
        'error',
        { selector: 'typeLike', format: ['PascalCase'] },
        { selector: 'function', format: ['camelCase', 'PascalCase'] },
      ],
      '@typescript-eslint/restrict-template-expressions': ['error', { allowNumber: true, allowBoolean: true }],
      '@typescript-eslint/no-non-null-assertion': 'off',
    },
  },
  {
    files: ['workers/**/*.ts'],
    ignores: ['workers/**/*.test.ts', 'workers/**/test-support/**'],
    rules: nondeterministic,
  },
  {
    files: ['src/**/*.{ts,tsx}'],
    languageOptions: { globals: globals.browser },
    plugins: { 'react-hooks': reactHooks },
    rules: { 'react-hooks/rules-of-hooks': 'error', 'react-hooks/exhaustive-deps': 'error' },
  },
  {
    files: ['**/*.test.ts', '**/*.test.tsx', 'cli/**', 'bench/**', 'e2e/**', 'scripts/**', '*.config.{js,ts}', 'bin/**'],
    languageOptions: { globals: globals.node },
  },
  {
    files: ['**/*.js', '**/*.mjs'],
    ...tseslint.configs.disableTypeChecked,
  },
);
