import { defineConfig } from 'vitest/config';

/**
 * Only for `npm run test:mutation` (stryker.config.json): the fast, pure unit tests of
 * shared/access, so that each of the many mutant runs takes milliseconds. The ordinary
 * suite (vitest.config.ts) runs these same files along with everything else.
 */
export default defineConfig({
  test: {
    include: ['test/unit/access/**/*.test.ts'],
    environment: 'node',
  },
});
