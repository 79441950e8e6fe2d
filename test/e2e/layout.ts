import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Locator, Page } from '@playwright/test';

/** The window sizes the console is made for (issue 15): the smallest it must work at, and a common laptop. */
export const VIEWPORTS = [
  { width: 1024, height: 700 },
  { width: 1440, height: 900 },
] as const;
export type Viewport = (typeof VIEWPORTS)[number];

/**
 * Where the e2e run writes its screenshots: `.reports/screenshots/<width>x<height>/<place>.png`.
 * `npm test` empties `.reports/` when it starts and leaves it afterwards, so `.ci/run` keeps them.
 */
export const SCREENSHOTS = join(import.meta.dirname, '..', '..', '.reports', 'screenshots');

/** A screenshot of what the window shows of `name` at `viewport` (the page is resized to it first). */
export async function screenshot(page: Page, name: string, viewport: Viewport): Promise<void> {
  await page.setViewportSize(viewport);
  const folder = join(SCREENSHOTS, `${viewport.width}x${viewport.height}`);
  mkdirSync(folder, { recursive: true });
  await page.screenshot({ path: join(folder, `${name.replace(/[^\w.-]+/g, '-')}.png`), animations: 'disabled' });
}

/**
 * Why `target` cannot be used at the page's size, or null when it can: it must be scrolled to
 * within the window (no part of it past the window's edges) and be the element a click at its
 * centre reaches (not clipped by a scrolling box, nor covered by a sticky bar).
 */
export async function unreachable(target: Locator, what: string): Promise<string | null> {
  if ((await target.count()) === 0) return `${what} is missing`;
  const element = target.first();
  if (!(await element.isVisible())) return `${what} is hidden`;
  await element.scrollIntoViewIfNeeded();
  return element.evaluate((node, label) => {
    const box = node.getBoundingClientRect();
    const width = document.documentElement.clientWidth;
    const height = document.documentElement.clientHeight;
    if (box.left < 0 || box.right > width + 0.5 || box.top < 0 || box.bottom > height + 0.5)
      return `${label} is outside the ${width}x${height} window (${Math.round(box.left)},${Math.round(box.top)} to ${Math.round(box.right)},${Math.round(box.bottom)})`;
    const hit = document.elementFromPoint(box.left + box.width / 2, box.top + box.height / 2);
    if (!hit || !(node === hit || node.contains(hit)))
      return `${label} is clipped or covered: a click at its centre reaches ${hit ? hit.outerHTML.slice(0, 80) : 'nothing'}`;
    return null;
  }, what);
}

/**
 * Tables taller than the box they scroll in (their own, or the window) whose header row does
 * not stay in view when their rows are scrolled: with the box (or the table) brought into view,
 * its rows are scrolled by 200 px, and a click at the first header cell's centre must still
 * reach the header, at the top of the box.
 */
async function headersThatScrollAway(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const lost: string[] = [];
    // Under an open modal dialog only the dialog can be used: its tables are the ones to check.
    const scope = document.querySelector('dialog[open]') ?? document;
    for (const table of Array.from(scope.querySelectorAll('table'))) {
      const th = table.querySelector<HTMLElement>('thead th');
      if (!th || th.getClientRects().length === 0) continue;
      let scroller: Element | null = table.parentElement;
      while (scroller && scroller !== document.body) {
        if (/auto|scroll/.test(getComputedStyle(scroller).overflowY) && scroller.scrollHeight > scroller.clientHeight + 1) break;
        scroller = scroller.parentElement;
      }
      const inBox = scroller !== null && scroller !== document.body;
      const box: Element = inBox && scroller ? scroller : (document.scrollingElement ?? document.documentElement);
      const visible = inBox ? box.clientHeight : window.innerHeight;
      if (table.getBoundingClientRect().height < visible + 200) continue;
      // The box in view (or the table, in the window), then its rows scrolled by 200 px.
      (inBox ? box : table).scrollIntoView({ block: 'start' });
      box.scrollBy(0, 200);
      const top = inBox ? box.getBoundingClientRect().top : 0;
      const cell = th.getBoundingClientRect();
      const hit = document.elementFromPoint(cell.left + cell.width / 2, cell.top + cell.height / 2);
      const name = table.getAttribute('aria-label') ?? table.className;
      if (cell.top < top - 1 || !hit || hit.closest('thead') !== table.tHead)
        lost.push(`the header row of the table ${name} scrolls away with its rows`);
      box.scrollTo(0, 0);
    }
    return lost;
  });
}

/**
 * What does not work at the page's present size: the page must not scroll sideways, table
 * headers must stay in view, and the header's Sign out (once signed in, with no dialog over
 * it), every tab of every tab list and each of `actions` must be reachable.
 */
export async function layoutProblems(page: Page, place: string, actions: readonly Locator[]): Promise<string[]> {
  const problems: string[] = (await headersThatScrollAway(page)).map((problem) => `${place}: ${problem}`);
  const sideways = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
  if (sideways > 0) problems.push(`${place}: the page scrolls sideways by ${sideways}px`);
  const targets: Array<[Locator, string]> = [];
  const signedIn = (await page.getByRole('navigation', { name: 'Main' }).count()) > 0;
  if (signedIn && (await page.locator('dialog[open]').count()) === 0)
    targets.push([page.getByRole('banner').getByRole('button', { name: 'Sign out' }), 'Sign out']);
  for (const tab of await page.getByRole('tab').all()) targets.push([tab, `the tab ${(await tab.textContent()) ?? ''}`]);
  for (const action of actions) targets.push([action, `the action ${action.toString()}`]);
  for (const [target, what] of targets) {
    const problem = await unreachable(target, what);
    if (problem) problems.push(`${place}: ${problem}`);
  }
  await page.evaluate(() => window.scrollTo(0, 0));
  return problems;
}
