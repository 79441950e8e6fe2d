/**
 * Scaled virtualization for a list taller than a browser lets an element be (issue 17): at
 * 1,000,000 rows of 41 px the list needs 41 M px, while Chromium stops at about 33.5 M px and
 * Firefox at about 17.9 M px. The scroll area is then capped at MAX_SCROLL_PX and scrolling maps
 * onto the whole list: the top of the area shows the first row, its bottom the last.
 */

/** The tallest scroll area the grid makes, well under every browser's limit. */
export const MAX_SCROLL_PX = 15_000_000;

/**
 * The cap in force: MAX_SCROLL_PX, unless the page set `window.stewardMaxScrollPx` before it
 * loaded. The end-to-end test lowers it this way so that scaling is exercised with thousands of
 * rows instead of a million; nothing else sets it.
 */
export function maxScrollPx(): number {
  const override = (globalThis as { stewardMaxScrollPx?: unknown }).stewardMaxScrollPx;
  return typeof override === 'number' && override > 0 ? override : MAX_SCROLL_PX;
}

export interface ScrollGeometry {
  /** Rows in the list. */
  total: number;
  /** Pixels per row. */
  rowHeight: number;
  /** Pixels of the scroll area given to rows (its client height less any sticky header). */
  viewport: number;
  /** The cap on the rows' part of the scroll area, in pixels. */
  maxPx: number;
}

/** Where the list stands for one scroll position. */
export interface ScrolledRows {
  /** The first and last row to put in the page (inclusive); last < first when there are none. */
  first: number;
  last: number;
  /** Space before the first row and after the last, so that the rows land where the scroll position shows. */
  padTop: number;
  padBottom: number;
  /** The height of the rows' part of the scroll area (the whole list, or the cap). */
  height: number;
  /** How many pixels of the list one pixel of scrolling moves (1 unless capped). */
  ratio: number;
}

/** The rows' part of the scroll area, and how many list pixels one scrolled pixel stands for between its ends. */
export function scrollArea(g: ScrollGeometry): { height: number; ratio: number } {
  const { scrollMax, fullMax, height } = extents(g);
  const edge = edgeOf(g, scrollMax);
  return { height, ratio: scrollMax > 2 * edge ? (fullMax - 2 * edge) / (scrollMax - 2 * edge) : 1 };
}

function extents(g: ScrollGeometry) {
  const full = g.total * g.rowHeight;
  const height = Math.min(full, g.maxPx);
  return { height, scrollMax: Math.max(0, height - g.viewport), fullMax: Math.max(0, full - g.viewport) };
}

/** One row's height at each end scrolls one to one, so that the rows there always fit inside the area. */
function edgeOf(g: ScrollGeometry, scrollMax: number): number {
  return scrollMax > 4 * g.rowHeight ? g.rowHeight : 0;
}

/**
 * The list pixel at the top of the view for a scroll position: one to one for the first and
 * the last row's height of scrolling, scaled between (so the first row is whole at the top, the
 * last whole at the bottom, and a partly shown row always has room in the area).
 */
export function listTopAt(g: ScrollGeometry, scrollTop: number): number {
  const { scrollMax, fullMax } = extents(g);
  const top = Math.min(Math.max(0, scrollTop), scrollMax);
  const edge = edgeOf(g, scrollMax);
  if (top <= edge) return top;
  if (top >= scrollMax - edge) return fullMax - (scrollMax - top);
  return edge + (top - edge) * scrollArea(g).ratio;
}

/** The scroll position that puts list pixel `listTop` at the top of the view (a page or a row away): listTopAt's inverse. */
export function scrollTopFor(g: ScrollGeometry, listTop: number): number {
  const { scrollMax, fullMax } = extents(g);
  const at = Math.min(Math.max(0, listTop), fullMax);
  const edge = edgeOf(g, scrollMax);
  if (at <= edge) return at;
  if (at >= fullMax - edge) return scrollMax - (fullMax - at);
  return edge + (at - edge) / scrollArea(g).ratio;
}

/**
 * The rows to render at `scrollTop` (pixels into the rows' part of the area), `overscan` rows
 * each side: the row at list pixel listTopAt(scrollTop) is at the top of the view. Rows are
 * never placed outside the area.
 */
export function scrolledRows(g: ScrollGeometry, scrollTop: number, overscan: number): ScrolledRows {
  const { height, ratio } = scrollArea(g);
  const rh = g.rowHeight;
  if (g.total === 0) return { first: 0, last: -1, padTop: 0, padBottom: height, height, ratio };
  const top = Math.min(Math.max(0, scrollTop), Math.max(0, height - g.viewport));
  const listTop = listTopAt(g, top);
  // Row i's top within the area is i × rh + shift.
  const shift = top - listTop;
  const first = Math.max(0, Math.floor(listTop / rh) - overscan, Math.ceil(-shift / rh));
  const last = Math.min(g.total - 1, Math.ceil((listTop + g.viewport) / rh) + overscan, Math.floor((height - shift) / rh) - 1);
  const padTop = first * rh + shift;
  return { first, last, padTop, padBottom: Math.max(0, height - padTop - (last - first + 1) * rh), height, ratio };
}
