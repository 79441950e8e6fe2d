import { existsSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { LOCK_FILE } from '../../main/data-lock';
import { tempDir } from '../helpers/temp-steward';
import { runWebProcess } from '../helpers/web-process';

/** Listens on `port` and closes again: succeeds only once nothing else holds it. */
function portIsFree(port: number): Promise<boolean> {
  return new Promise((done) => {
    const probe = createServer();
    probe.once('error', () => done(false));
    probe.listen(port, '127.0.0.1', () => probe.close(() => done(true)));
  });
}

/** Polls `probe` until it holds, at most `tries` times 100 ms apart; false when it never did. */
async function eventually(probe: () => Promise<boolean> | boolean, tries = 100): Promise<boolean> {
  for (let i = 0; i < tries; i++) {
    if (await probe()) return true;
    await new Promise((r) => setTimeout(r, 100));
  }
  return false;
}

/**
 * Issue 16: stopping `npm run web` stops the console. npm runs the script under `sh -c`, so
 * the console is three processes below npm; a signal must still reach it.
 */
describe('npm run web and signals', () => {
  const cases = [
    // `kill PID` (and a service manager stopping npm) signals npm alone.
    { name: 'SIGTERM to npm alone', signal: 'SIGTERM', group: false },
    // Ctrl-C in a terminal signals the whole foreground process group.
    { name: "SIGINT to npm's process group (Ctrl-C)", signal: 'SIGINT', group: true },
  ] as const;
  for (const { name, signal, group } of cases) {
    it(`${name} stops the console: its port and its data folder are free again`, async () => {
      const folder = tempDir();
      const npm = runWebProcess('npm', ['run', '-s', 'web', '--', '--port', '0', '--data', folder.dir], { ownProcessGroup: group });
      const pid = npm.child.pid ?? 0;
      try {
        const port = Number(new URL(await npm.ready).port);
        expect(await portIsFree(port)).toBe(false);
        process.kill(group ? -pid : pid, signal);
        await npm.exited;
        expect(await eventually(() => portIsFree(port))).toBe(true);
        // The console ran its own shutdown (it removes its lock), rather than being killed or left behind.
        expect(await eventually(() => !existsSync(join(folder.dir, LOCK_FILE)))).toBe(true);
      } finally {
        if (npm.child.exitCode === null && npm.child.signalCode === null) process.kill(group ? -pid : pid, 'SIGKILL');
        folder.remove();
      }
    }, 120_000);
  }
});
