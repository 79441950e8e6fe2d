import type { Result } from '../../../shared/result';

export interface WindowAnswer<Row> {
  rows: Row[];
  /** How many rows match the whole question, counted by the server. */
  total: number;
}

/** Asks the server for rows `offset`..`offset+limit` of the question named by `key`. */
export type FetchWindow<Row> = (key: string, offset: number, limit: number) => Promise<Result<WindowAnswer<Row>>>;

interface KeyCache<Row> {
  total: number | null;
  windows: Map<number, Row[]>;
  /** Windows asked for and not answered yet. */
  pending: Set<number>;
  error: string | null;
  /** The window the person looked at last: eviction keeps those nearest to it. */
  focus: number;
}

export interface WindowsView<Row> {
  /** The question whose rows are shown; differs from the one asked while its first answer is on its way. */
  shownKey: string | null;
  total: number | null;
  error: string | null;
  /** The row at `index` of the shown question, or undefined while its window is not loaded. */
  rowAt(index: number): Row | undefined;
}

const KEYS_KEPT = 6;
const WINDOWS_KEPT_PER_KEY = 60;

/**
 * Windows of a server-side list, cached per question (filters and sort as one key): scrolling
 * back or returning to an earlier filter shows rows at once. Only windows near the view are kept,
 * so 100,000 rows never all sit in memory. React reads it through useSyncExternalStore.
 */
export class RowWindows<Row> {
  private readonly caches = new Map<string, KeyCache<Row>>();
  private readonly listeners = new Set<() => void>();
  private asked: string | null = null;
  private shown: string | null = null;
  private generation = 0;
  private snapshot: WindowsView<Row>;

  constructor(
    private readonly fetchWindow: FetchWindow<Row>,
    readonly windowSize = 200,
  ) {
    this.snapshot = this.view();
  }

  subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  getSnapshot = (): WindowsView<Row> => this.snapshot;

  /** The question now asked; its rows replace the shown ones once its first window answers. */
  ask(key: string): void {
    if (this.asked === key) return;
    this.asked = key;
    const cache = this.caches.get(key);
    if (cache && cache.total !== null) this.shown = key;
    this.ensure(0, 0);
    this.changed();
  }

  /** Make sure rows `first`..`last` (inclusive) of the asked question are loaded or on their way. */
  ensure(first: number, last: number): void {
    const key = this.asked;
    if (key === null) return;
    const cache = this.cacheFor(key);
    const from = Math.floor(Math.max(0, first) / this.windowSize);
    const to = Math.floor(Math.max(first, last) / this.windowSize);
    cache.focus = from;
    for (let w = from; w <= to; w++) {
      if (cache.windows.has(w) || cache.pending.has(w)) continue;
      if (cache.total !== null && w * this.windowSize >= cache.total && w > 0) continue;
      this.load(key, cache, w);
    }
  }

  /** After a change on the server (an assignment, an import): every cached answer is out of date. */
  invalidate(): void {
    this.generation++;
    const asked = this.asked;
    const shownCache = this.shown ? this.caches.get(this.shown) : undefined;
    this.caches.clear();
    // The old rows stay on screen (marked stale) until the fresh answer arrives, rather than flashing empty.
    if (this.shown && shownCache) this.caches.set(`${this.shown}#stale`, { ...shownCache, pending: new Set() });
    this.shown = this.shown ? `${this.shown}#stale` : null;
    this.asked = null;
    if (asked !== null) this.ask(asked);
  }

  private cacheFor(key: string): KeyCache<Row> {
    let cache = this.caches.get(key);
    if (!cache) {
      cache = { total: null, windows: new Map(), pending: new Set(), error: null, focus: 0 };
      this.caches.set(key, cache);
      this.evictKeys();
    } else {
      // Most recently used last, so eviction drops the oldest question first.
      this.caches.delete(key);
      this.caches.set(key, cache);
    }
    return cache;
  }

  private load(key: string, cache: KeyCache<Row>, w: number): void {
    cache.pending.add(w);
    const generation = this.generation;
    void this.fetchWindow(key, w * this.windowSize, this.windowSize).then((result) => {
      if (generation !== this.generation || this.caches.get(key) !== cache) return;
      cache.pending.delete(w);
      if (result.ok) {
        cache.windows.set(w, result.value.rows);
        cache.total = result.value.total;
        cache.error = null;
        this.evictWindows(cache);
        if (this.asked === key) {
          if (this.shown !== key && this.shown?.endsWith('#stale')) this.caches.delete(this.shown);
          this.shown = key;
        }
      } else {
        cache.error = result.error.message;
        if (this.asked === key) this.shown = key;
      }
      this.changed();
    });
  }

  private evictKeys(): void {
    for (const key of this.caches.keys()) {
      if (this.caches.size <= KEYS_KEPT) break;
      if (key !== this.asked && key !== this.shown) this.caches.delete(key);
    }
  }

  private evictWindows(cache: KeyCache<Row>): void {
    if (cache.windows.size <= WINDOWS_KEPT_PER_KEY) return;
    const far = [...cache.windows.keys()].sort((a, b) => Math.abs(b - cache.focus) - Math.abs(a - cache.focus));
    for (const w of far.slice(0, cache.windows.size - WINDOWS_KEPT_PER_KEY)) cache.windows.delete(w);
  }

  private view(): WindowsView<Row> {
    const cache = this.shown ? this.caches.get(this.shown) : undefined;
    const size = this.windowSize;
    return {
      shownKey: this.shown,
      total: cache?.total ?? null,
      error: cache?.error ?? null,
      rowAt: (index) => cache?.windows.get(Math.floor(index / size))?.[index % size],
    };
  }

  private changed(): void {
    this.snapshot = this.view();
    for (const listener of this.listeners) listener();
  }
}
