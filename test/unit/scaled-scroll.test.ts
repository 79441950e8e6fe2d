import { describe, expect, it } from 'vitest';
import { listTopAt, MAX_SCROLL_PX, scrollArea, scrolledRows, scrollTopFor } from '../../renderer/src/devices/scaled-scroll';

/** Issue 17: a million rows of 41 px in a scroll area capped below every browser's limit. */
const MILLION = { total: 1_000_000, rowHeight: 41, viewport: 410, maxPx: MAX_SCROLL_PX };

describe('scaled scrolling', () => {
  it('keeps a short list as it is: one scrolled pixel is one pixel of rows', () => {
    const g = { total: 1000, rowHeight: 41, viewport: 410, maxPx: MAX_SCROLL_PX };
    expect(scrollArea(g)).toEqual({ height: 41_000, ratio: 1 });
    const at = scrolledRows(g, 4100, 5);
    expect([at.first, at.last, at.padTop]).toEqual([95, 115, 95 * 41]);
    expect(at.padTop + (at.last - at.first + 1) * 41 + at.padBottom).toBe(41_000);
  });

  it('caps the area of a million rows, and its last position shows the last row at the bottom', () => {
    const { height, ratio } = scrollArea(MILLION);
    expect(height).toBe(MAX_SCROLL_PX);
    expect(ratio).toBeGreaterThan(2.7);
    const end = scrolledRows(MILLION, height - MILLION.viewport, 15);
    expect(end.last).toBe(999_999);
    // The last row's bottom is the area's bottom, and the scroll positions map both ways.
    expect(scrollTopFor(MILLION, listTopAt(MILLION, 7_654_321))).toBeCloseTo(7_654_321, 3);
    expect(end.padTop + (end.last - end.first + 1) * 41).toBeCloseTo(height, 6);
    expect(end.padBottom).toBeCloseTo(0, 6);
  });

  it('shows the rows in view at every position, never placing one outside the area', () => {
    for (const top of [0, 1, 17, 40, 41, 42, 999, 123_456, 5_000_000, 14_999_540, 14_999_589, 14_999_590, 20_000_000]) {
      const at = scrolledRows(MILLION, top, 15);
      const scrolled = Math.min(top, at.height - MILLION.viewport);
      const firstInView = Math.floor(listTopAt(MILLION, scrolled) / 41);
      expect(at.first).toBeLessThanOrEqual(firstInView);
      expect(at.last).toBeGreaterThanOrEqual(Math.min(999_999, firstInView + 9));
      expect(at.padTop).toBeGreaterThanOrEqual(0);
      expect(at.padBottom).toBeGreaterThanOrEqual(0);
      // The first row in view sits at the top of the view.
      expect(at.padTop + (firstInView - at.first) * 41 - scrolled).toBeGreaterThan(-41);
      expect(at.padTop + (firstInView - at.first) * 41 - scrolled, `${top}`).toBeLessThanOrEqual(0);
    }
  });

  it('a page step moves one view of rows, wherever the list stands', () => {
    for (const row of [0, 500_000, 999_000]) {
      const top = scrollTopFor(MILLION, row * 41);
      const next = scrollTopFor(MILLION, (row + 10) * 41);
      const a = scrolledRows(MILLION, top, 0);
      const b = scrolledRows(MILLION, next, 0);
      expect(Math.round(listTopAt(MILLION, next) - listTopAt(MILLION, top))).toBe(Math.min(410, Math.max(0, (999_990 - row) * 41)));
      expect(b.first - a.first).toBeLessThanOrEqual(10);
    }
  });

  it('has no rows to show for an empty list', () => {
    expect(scrolledRows({ ...MILLION, total: 0 }, 0, 15)).toMatchObject({ first: 0, last: -1, height: 0 });
  });
});
