import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test as base } from '@playwright/test';

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

export const test = base.extend<{ steward: Console }>({
  // eslint-disable-next-line no-empty-pattern -- Playwright reads fixture dependencies from this pattern.
  steward: async ({}, use) => {
    const steward = new Console();
    await steward.start();
    await use(steward);
    await steward.stop();
    steward.cleanup();
  },
});

export { expect } from '@playwright/test';
