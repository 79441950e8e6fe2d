import { afterAll, afterEach, beforeAll } from 'vitest';
import { bundleEntries } from './hub';

export type Cleanup = () => Promise<void> | void;

/**
 * What every test file of real hub and replica processes needs: the entry points bundled once
 * for the file, and what each test started stopped after it, newest first.
 */
export function useSyncProcesses(): { entries: () => Awaited<ReturnType<typeof bundleEntries>>; cleanups: Cleanup[] } {
  let entries: Awaited<ReturnType<typeof bundleEntries>> | undefined;
  const cleanups: Cleanup[] = [];
  beforeAll(async () => {
    entries = await bundleEntries();
  }, 60_000);
  afterAll(() => entries?.remove());
  afterEach(async () => {
    for (const c of cleanups.splice(0).reverse()) await c();
  });
  return {
    entries: () => {
      if (!entries) throw new Error('the sync entry points are bundled in beforeAll');
      return entries;
    },
    cleanups,
  };
}
