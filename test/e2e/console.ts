import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test as base, type Browser, type BrowserContext, type Page } from '@playwright/test';

/** The real web console (`dist/main/web.js`) in its own process, on a fresh data folder. */
export class Console {
  private child: ChildProcess | null = null;
  url = '';
  readonly dataDir = mkdtempSync(join(tmpdir(), 'steward-e2e-'));
  private port = 0;

  async start(): Promise<void> {
    const child = spawn(process.execPath, ['dist/main/web.js', '--port', String(this.port), '--data', this.dataDir], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    this.child = child;
    let stderr = '';
    child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    this.url = await new Promise<string>((resolve, reject) => {
      let out = '';
      child.stdout?.on('data', (chunk: Buffer) => {
        out += chunk.toString();
        const match = /Steward web console: (http:\/\/\S+)/.exec(out);
        if (match?.[1]) resolve(match[1]);
      });
      child.on('exit', (code) => reject(new Error(`web console exited (${String(code)}): ${stderr}`)));
    });
    // Restarts reuse the port so the browser's cookies (named by port) still apply.
    this.port = Number(new URL(this.url).port);
  }

  async stop(): Promise<void> {
    const child = this.child;
    if (!child || child.exitCode !== null) return;
    await new Promise<void>((resolve) => {
      child.once('exit', () => resolve());
      child.kill('SIGTERM');
    });
    this.child = null;
  }

  async restart(): Promise<void> {
    await this.stop();
    await this.start();
  }

  cleanup(): void {
    rmSync(this.dataDir, { recursive: true, force: true });
  }
}

/**
 * What went wrong in the browser during a test: a console error, an uncaught page error, a
 * request that failed on the network, or an answer with a server error. An API refusal
 * (4xx with the application's JSON error) is an answer the console shows, not a fault; the
 * browser still logs it as "Failed to load resource", which is therefore matched to it.
 */
export class BrowserProblems {
  readonly problems: string[] = [];
  private readonly allowed: RegExp[] = [];
  private readonly watched = new WeakSet<Page>();

  /** For a test that provokes a fault on purpose (the server stopped): problems matching this are expected. */
  allow(pattern: RegExp): void {
    this.allowed.push(pattern);
  }

  watchContext(context: BrowserContext): void {
    for (const page of context.pages()) this.watchPage(page);
    context.on('page', (page) => this.watchPage(page));
  }

  private watchPage(page: Page): void {
    if (this.watched.has(page)) return;
    this.watched.add(page);
    page.on('pageerror', (error) => this.add(`page error: ${error.message}`));
    page.on('console', (message) => {
      if (message.type() !== 'error') return;
      const text = message.text();
      // Checked on the response itself (below), where the status and address are known.
      if (/^Failed to load resource: the server responded with a status of \d{3}/.test(text)) return;
      this.add(`console error: ${text}`);
    });
    page.on('requestfailed', (request) => {
      const reason = request.failure()?.errorText ?? '';
      // The page cancelled it itself: a reload, a navigation (to an identity provider, say) or a query
      // aborted because its screen closed. A server that fails gives a status or a reset, never this.
      if (reason === 'net::ERR_ABORTED') return;
      this.add(`request failed: ${request.method()} ${request.url()} (${reason})`);
    });
    page.on('response', (response) => {
      const status = response.status();
      if (status < 400) return;
      const api = new URL(response.url()).pathname.startsWith('/api/');
      if (api && status < 500) return;
      this.add(`${api ? 'server error' : 'failed request'}: ${status} ${response.request().method()} ${response.url()}`);
    });
  }

  private add(problem: string): void {
    if (this.allowed.some((pattern) => pattern.test(problem))) return;
    this.problems.push(problem);
  }
}

/**
 * Watches every context the test opens, the default one and those from `browser.newContext()`,
 * and closes the latter afterwards, so that their pages stop calling a console that is gone.
 */
async function watchBrowser(browser: Browser, context: BrowserContext, problems: BrowserProblems, run: () => Promise<void>) {
  problems.watchContext(context);
  const opened: BrowserContext[] = [];
  const newContext = browser.newContext.bind(browser);
  browser.newContext = async (...args) => {
    const created = await newContext(...args);
    problems.watchContext(created);
    opened.push(created);
    return created;
  };
  try {
    await run();
  } finally {
    browser.newContext = newContext;
  }
  return async () => {
    for (const created of opened) await created.close();
  };
}

export const test = base.extend<{ steward: Console; browserProblems: BrowserProblems }>({
  // eslint-disable-next-line no-empty-pattern -- Playwright reads fixture dependencies from this pattern.
  steward: async ({}, use) => {
    const steward = new Console();
    await steward.start();
    await use(steward);
    await steward.stop();
    steward.cleanup();
  },
  // Every e2e test fails on a browser problem, whether or not it looks for one (issue 15).
  browserProblems: [
    // It needs `steward` so that the console outlives the check: a page polling a stopped server is not the test's fault.
    async ({ browser, context, steward }, use) => {
      void steward;
      const problems = new BrowserProblems();
      const closeOpened = await watchBrowser(browser, context, problems, () => use(problems));
      const found = [...problems.problems];
      await closeOpened();
      if (found.length > 0) throw new Error(`The browser reported problems:\n${found.join('\n')}`);
    },
    { auto: true },
  ],
});

export { expect } from '@playwright/test';
