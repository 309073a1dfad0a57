// Lint rules for fivexx: typescript-eslint's type-aware recommended set, with floating promises as errors.
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', 'test/lab/tmp/**', 'samples/**', 'eslint.config.js'] },
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
    rules: {
      '@typescript-eslint/no-floating-promises': [
        'error',
        { allowForKnownSafeCalls: [{ from: 'package', package: 'node:test', name: ['test', 'it', 'describe', 'suite'] }] },
      ],
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_' }],
      '@typescript-eslint/restrict-template-expressions': ['error', { allowNumber: true }],
    },
  },
  // Plain JavaScript that must run before the build and on Node.js older than 24 (bin/fivexx.js, scripts/prepare.js): no types to check.
  { files: ['bin/**/*.js', 'scripts/**/*.js'], ...tseslint.configs.disableTypeChecked },
  // The dashboard's browser scripts (web/): plain JS with no type information.
  { files: ['web/**/*.js'], ...tseslint.configs.disableTypeChecked, languageOptions: { ...tseslint.configs.disableTypeChecked.languageOptions, sourceType: 'script' } },
);
