import { BrowserProblems, expect, test } from './console';

// The shared fixture fails every e2e test on a browser problem; this proves it notices each kind.
test('a console error, a page error, a failed request and a server error are each reported', async ({
  browser,
  steward,
  browserProblems,
}) => {
  // The faults below are provoked on purpose; the test's own watcher is told to expect them.
  browserProblems.allow(/deliberate|broken-on-purpose|ERR_CONNECTION_REFUSED|\/api\/no\.such|favicon-that-is-not-there/);
  const problems = new BrowserProblems();
  const context = await browser.newContext();
  problems.watchContext(context);
  const page = await context.newPage();
  await page.goto(steward.url);
  await page.route('**/broken-on-purpose', (route) => route.abort('connectionrefused'));
  await page.route('**/favicon-that-is-not-there.png', (route) => route.fulfill({ status: 404, body: '' }));
  await page.route('**/api/deliberately.broken-on-purpose', (route) => route.fulfill({ status: 500, body: '{}' }));

  await page.evaluate(() => console.error('deliberate console error'));
  await page.evaluate(() =>
    setTimeout(() => {
      throw new Error('deliberate page error');
    }, 0),
  );
  await page.evaluate(() => fetch('/broken-on-purpose').catch(() => undefined));
  await page.evaluate(() => fetch('/favicon-that-is-not-there.png').catch(() => undefined));
  await page.evaluate(() => fetch('/api/deliberately.broken-on-purpose', { method: 'POST' }).catch(() => undefined));
  await expect.poll(() => problems.problems.length).toBeGreaterThanOrEqual(5);
  expect(problems.problems.join('\n')).toMatch(/console error: deliberate console error/);
  expect(problems.problems.join('\n')).toMatch(/page error: deliberate page error/);
  expect(problems.problems.join('\n')).toMatch(/request failed: GET .*\/broken-on-purpose/);
  expect(problems.problems.join('\n')).toMatch(/failed request: 404 GET .*favicon-that-is-not-there/);
  expect(problems.problems.join('\n')).toMatch(/server error: 500 POST .*\/api\/deliberately\.broken-on-purpose/);

  // An API refusal is an answer the console shows, not a fault.
  const before = problems.problems.length;
  await page.evaluate(() => fetch('/api/no.such.operation', { method: 'POST', body: '{}' }).catch(() => undefined));
  expect(problems.problems.slice(before).filter((p) => !/no\.such\.operation/.test(p) || /server error/.test(p))).toEqual([]);

  // A request the page cancels itself (a reload, a navigation, a query whose screen closed) is not a fault.
  await page.route('**/slow-on-purpose', async (route) => {
    await new Promise((resolve) => setTimeout(resolve, 1000));
    await route.fulfill({ status: 200, body: '{}' }).catch(() => undefined);
  });
  await page.evaluate(async () => {
    const controller = new AbortController();
    const request = fetch('/slow-on-purpose', { signal: controller.signal }).catch(() => undefined);
    setTimeout(() => controller.abort(), 50);
    await request;
  });
  await page.waitForTimeout(1200);
  expect(problems.problems.filter((p) => /slow-on-purpose/.test(p))).toEqual([]);
  await context.close();
});
