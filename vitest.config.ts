import { defineConfig } from 'vitest/config';
import { svelte } from '@sveltejs/vite-plugin-svelte';

export default defineConfig({
  // Compiles runes in `*.svelte.ts` state classes (src/app) for the unit tests.
  plugins: [svelte()],
  test: {
    include: ['tests/unit/**/*.test.ts', 'server/tests/**/*.test.ts'],
    environment: 'node',
    testTimeout: 20_000,
    pool: 'forks',
  },
});
