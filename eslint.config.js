// The house rules a machine can hold (see ../README.md, Development): a small, deliberate set.
import svelte from 'eslint-plugin-svelte';
import globals from 'globals';
import tseslint from 'typescript-eslint';
import svelteConfig from './svelte.config.js';
import { house } from './eslint/layers.js';

/** Class members (and constructor parameter properties) that can carry TypeScript's accessibility keywords. */
const classMembers = [
  'PropertyDefinition',
  'MethodDefinition',
  'AccessorProperty',
  'TSParameterProperty',
  'TSAbstractPropertyDefinition',
  'TSAbstractMethodDefinition',
  'TSAbstractAccessorProperty',
];

export default tseslint.config(
  {
    ignores: [
      'dist/**',
      'node_modules/**',
      'tests/artifacts/**',
      'bench/results/**',
      '.tmp/**',
      'public/**',
      'server/data/**',
      'tests/browser/pages/**/*.svelte',
    ],
  },
  {
    files: ['**/*.{ts,svelte}'],
    extends: [tseslint.configs.base],
    languageOptions: {
      parserOptions: { project: ['./tsconfig.json', './tsconfig.node.json'], extraFileExtensions: ['.svelte'], tsconfigRootDir: import.meta.dirname },
      globals: { ...globals.browser, ...globals.node },
    },
    rules: {
      '@typescript-eslint/no-floating-promises': ['error', { ignoreVoid: true }],
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none', ignoreRestSiblings: true },
      ],
      '@typescript-eslint/consistent-type-imports': ['error', { fixStyle: 'inline-type-imports', disallowTypeAnnotations: false }],
      // Why: #private is private at run time too, and one way to say it reads the same everywhere.
      'no-restricted-syntax': [
        'error',
        {
          selector: `:matches(${classMembers.join(', ')})[accessibility=/^(private|protected)$/]`,
          message: "Use #private members, not TypeScript's private/protected.",
        },
      ],
    },
  },
  ...svelte.configs.base,
  {
    files: ['**/*.svelte', '**/*.svelte.ts'],
    languageOptions: { parserOptions: { parser: tseslint.parser, svelteConfig } },
  },
  {
    files: ['src/**/*.{ts,svelte}'],
    plugins: { house },
    rules: { 'house/layers': 'error' },
  },
);
