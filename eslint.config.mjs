// Lint: typescript-eslint's recommended rules; formatting is Prettier's (eslint-config-prettier
// turns off every rule that would fight it). Folder boundaries are dependency-cruiser's
// (.dependency-cruiser.cjs).
import eslint from '@eslint/js';
import tseslint from 'typescript-eslint';
import prettier from 'eslint-config-prettier';
import globals from 'globals';

export default tseslint.config(
  { ignores: ['dist/', 'coverage/', 'node_modules/', 'data/', 'console/dist/', 'console/src/gql/', 'test-results/'] },
  eslint.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none' }],
    },
  },
  { files: ['**/*.js', '**/*.cjs'], rules: { '@typescript-eslint/no-require-imports': 'off' } },
  // The console runs in the browser.
  { files: ['console/src/**'], languageOptions: { globals: { ...globals.browser } } },
  // Tests and benchmarks read untyped JSON answers; the product code stays typed.
  { files: ['test/**', 'bench/**', '**/*.spec.ts'], rules: { '@typescript-eslint/no-explicit-any': 'off' } },
  prettier,
);
