import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { FuseV1Options, getCurrentFuseWire } from '@electron/fuses';
import { describe, expect, it } from 'vitest';
import { LOCK_FILE } from '../../main/data-lock';
import { tempDir } from '../helpers/temp-steward';
import { runWebProcess } from '../helpers/web-process';

// One file for every test that runs `npm run web` or `npm run dist`: each builds into dist/,
// and tests of one file run one after another, so no two builds write it at once.
/** Listens on `port` and closes again: succeeds only once nothing else holds it. */
function portIsFree(port: number): Promise<boolean> {
  return new Promise((done) => {
    const probe = createServer();
    probe.once('error', () => done(false));
    probe.listen(port, '127.0.0.1', () => probe.close(() => done(true)));
  });
}

/** Polls `probe` until it holds, at most `tries` times 100 ms apart (a loaded CI machine is slow to stop a process); false when it never did. */
async function eventually(probe: () => Promise<boolean> | boolean, tries = 300): Promise<boolean> {
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
        const unlocked = await eventually(() => !existsSync(join(folder.dir, LOCK_FILE)));
        expect(unlocked, `the lock is still there; the console wrote:\n${npm.output().stderr}`).toBe(true);
      } finally {
        if (npm.child.exitCode === null && npm.child.signalCode === null) process.kill(group ? -pid : pid, 'SIGKILL');
        folder.remove();
      }
    }, 120_000);
  }
});

/**
 * Issue 16, packaging: `npm run dist` never touches node_modules (better-sqlite3 stays built
 * for Node), says in one line that it needs the network, and packages carry Electron's fuses.
 */

/** Every file of better-sqlite3 in node_modules, by path and content digest. */
function betterSqliteFiles(dir = 'node_modules/better-sqlite3'): Record<string, string> {
  const out: Record<string, string> = {};
  for (const entry of readdirSync(dir, { withFileTypes: true, recursive: true })) {
    if (!entry.isFile()) continue;
    const path = join(entry.parentPath, entry.name);
    out[path] = createHash('sha256').update(readFileSync(path)).digest('hex');
  }
  return out;
}

/** `unshare -rn` gives a process a network namespace with no network at all (Linux, user namespaces). */
const noNetwork = spawnSync('unshare', ['-rn', 'true']);
const blockReason =
  noNetwork.status === 0 ? '' : `cannot block the network here (unshare -rn: ${noNetwork.stderr?.toString().trim() || 'not available'})`;

describe('npm run dist', () => {
  it.skipIf(blockReason !== '')(
    `with the network blocked: one line saying so, node_modules untouched, and npm run web still starts${blockReason ? ` (skipped: ${blockReason})` : ''}`,
    async () => {
      const before = betterSqliteFiles();
      const dist = spawnSync('unshare', ['-rn', 'npm', 'run', '-s', 'dist'], { encoding: 'utf8', timeout: 300_000 });
      expect(dist.status).toBe(1);
      const errorLines = dist.stderr.trim().split('\n');
      expect(errorLines).toHaveLength(1);
      expect(errorLines[0]).toMatch(/^npm run dist needs the network: .*\((ENOTFOUND|EAI_AGAIN) [\w.-]+\)/);
      expect(dist.stdout).not.toMatch(/\n\s+at /);
      expect(betterSqliteFiles()).toEqual(before);

      const folder = tempDir();
      const web = runWebProcess('npm', ['run', '-s', 'web', '--', '--port', '0', '--data', folder.dir]);
      try {
        const url = await web.ready;
        const page = await fetch(url);
        expect(page.status).toBe(200);
        expect(await page.text()).toContain('<div id="root">');
      } finally {
        web.child.kill('SIGTERM');
        await web.exited;
        folder.remove();
      }
    },
    400_000,
  );
});

/** The packaged Electron binary electron-builder left in release/ for this platform, if any. */
function packagedBinary(): string | null {
  const candidates = [
    'release/linux-unpacked/steward',
    'release/win-unpacked/Steward.exe',
    'release/mac/Steward.app/Contents/MacOS/Steward',
    'release/mac-arm64/Steward.app/Contents/MacOS/Steward',
  ];
  return candidates.find((file) => existsSync(file) && statSync(file).isFile()) ?? null;
}

const packaged = packagedBinary();
/** A fuse's byte in the binary's fuse wire: '0' off, '1' on (@electron/fuses keeps these in FuseState, not exported). */
const FuseState = { DISABLE: '0'.charCodeAt(0), ENABLE: '1'.charCodeAt(0) } as const;

describe('Electron fuses of the packaged app', () => {
  it.skipIf(!packaged)(
    `are flipped as electron-builder.yml says${packaged ? '' : ' (skipped: no packaged app in release/; `npm run dist` where the network is reachable makes one)'}`,
    async () => {
      const wire = await getCurrentFuseWire(packaged ?? '');
      expect(wire[FuseV1Options.RunAsNode]).toBe(FuseState.DISABLE);
      expect(wire[FuseV1Options.EnableCookieEncryption]).toBe(FuseState.ENABLE);
      expect(wire[FuseV1Options.EnableNodeOptionsEnvironmentVariable]).toBe(FuseState.DISABLE);
      expect(wire[FuseV1Options.EnableNodeCliInspectArguments]).toBe(FuseState.DISABLE);
      expect(wire[FuseV1Options.EnableEmbeddedAsarIntegrityValidation]).toBe(FuseState.ENABLE);
      expect(wire[FuseV1Options.OnlyLoadAppFromAsar]).toBe(FuseState.ENABLE);
      expect(wire[FuseV1Options.GrantFileProtocolExtraPrivileges]).toBe(FuseState.DISABLE);
    },
  );
});
