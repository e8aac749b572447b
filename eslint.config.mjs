// One ESLint configuration for the whole repository. Controls also get the Power Apps
// checker's rules (what the solution checker would flag after import); each control's
// own eslint.config.mjs (run by pcf-scripts during its build) reuses this file.
import tseslint from 'typescript-eslint';
import powerApps from '@microsoft/eslint-plugin-power-apps';
import { workspaceBoundaries } from './eslint.boundaries.mjs';

export default tseslint.config(
  {
    ignores: [
      '**/node_modules/**',
      '**/dist/**',
      '**/out/**',
      '**/bin/**',
      '**/obj/**',
      '**/generated/**',
      '**/coverage/**',
      '**/*.js',
      '**/*.cjs',
      '**/*.mjs',
    ],
  },
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
  {
    files: ['controls/**/*.ts', 'controls/**/*.tsx'],
    plugins: { '@microsoft/power-apps': powerApps },
    rules: { ...powerApps.configs.paCheckerHosted.rules },
  },
  // Which workspace may import which (DESIGN.md's layout), tests included.
  ...workspaceBoundaries,
  {
    // Tests may use non-null assertions and loose typing of fixtures.
    files: ['**/*.test.ts', '**/*.test.tsx'],
    rules: {
      '@typescript-eslint/no-non-null-assertion': 'off',
      '@typescript-eslint/no-explicit-any': 'off',
    },
  },
);
