// Each control's eslint.config.mjs (which pcf-scripts runs during its build, from the
// control's folder) spreads this. The root config's `files: ['controls/**']` block does
// not match once the config's base path is the control folder, so the Power Apps checker
// rules are applied again here to every TypeScript file.
import powerApps from '@microsoft/eslint-plugin-power-apps';
import root from '../eslint.config.mjs';

export default [
  ...root,
  {
    files: ['**/*.ts', '**/*.tsx'],
    plugins: { '@microsoft/power-apps': powerApps },
    rules: { ...powerApps.configs.paCheckerHosted.rules },
  },
  {
    files: ['**/*.test.ts', '**/*.test.tsx', 'scripts/**'],
    rules: {
      '@typescript-eslint/no-non-null-assertion': 'off',
      '@typescript-eslint/no-explicit-any': 'off',
    },
  },
];
