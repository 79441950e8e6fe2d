import { describe, expect, it } from 'vitest';
import { busyWaitMs } from '../../main/features/directory/web-api';

/** A directory API that says it is busy (429, 503) is asked again after the wait it names (RFC 9110 §10.2.3). */
describe('the wait before asking a busy directory again', () => {
  const now = Date.parse('2026-12-07T12:00:00Z');
  it('takes Retry-After in seconds or as an HTTP date', () => {
    expect(busyWaitMs('7', 0, now)).toBe(7000);
    expect(busyWaitMs(' 0 ', 3, now)).toBe(0);
    expect(busyWaitMs('Mon, 07 Dec 2026 12:00:30 GMT', 0, now)).toBe(30_000);
    // A date already past means now.
    expect(busyWaitMs('Mon, 07 Dec 2026 11:00:00 GMT', 0, now)).toBe(0);
  });
  it('doubles from a second without one, or with one it cannot read', () => {
    expect([0, 1, 2, 3].map((attempt) => busyWaitMs(null, attempt, now))).toEqual([1000, 2000, 4000, 8000]);
    expect(busyWaitMs('soon', 1, now)).toBe(2000);
    expect(busyWaitMs('-5', 0, now)).toBe(1000);
  });
  it('never waits longer than a minute, whatever the API asks', () => {
    expect(busyWaitMs('86400', 0, now)).toBe(60_000);
    expect(busyWaitMs(null, 20, now)).toBe(60_000);
  });
});
