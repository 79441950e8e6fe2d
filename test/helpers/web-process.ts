import { spawn, type ChildProcess } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { build } from 'esbuild';

/**
 * `entryPoint` bundled as `npm run build` bundles the main process, into a temp folder under
 * node_modules/.cache so that better-sqlite3 resolves the same way; `remove()` deletes it.
 */
export async function bundleForNode(entryPoint: string): Promise<{ file: string; remove(): void }> {
  const cache = resolve('node_modules/.cache');
  mkdirSync(cache, { recursive: true });
  const dir = mkdtempSync(join(cache, 'steward-bundle-'));
  const file = join(dir, 'entry.mjs');
  const options = { bundle: true, platform: 'node', format: 'esm', target: 'node24', packages: 'external', logLevel: 'warning' } as const;
  await build({ ...options, entryPoints: [entryPoint], outfile: file });
  // As `npm run build` does: the read pool's worker sits beside the bundle that starts it (web.ts, hub.ts).
  await build({ ...options, entryPoints: ['main/read-worker.ts'], outfile: join(dir, 'read-worker.js') });
  // As `npm run build` does: the bundle finds main/assets beside itself (main/assets.ts).
  cpSync('main/assets', join(dir, 'assets'), { recursive: true });
  return { file, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

export interface WebProcess {
  child: ChildProcess;
  /** Resolves with the console's URL once it listens, or rejects with its stderr when it exits first. */
  ready: Promise<string>;
  /** Resolves with the exit code (or signal) and everything the process wrote. */
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null; stdout: string; stderr: string }>;
  /** Everything written so far, also by processes below it that outlive it (npm's script), for a failure's message. */
  output(): { stdout: string; stderr: string };
}

/** Runs `command args…` and watches for the "Steward web console: URL" line web.ts prints. */
export function runWebProcess(
  command: string,
  args: readonly string[],
  options: { env?: NodeJS.ProcessEnv; ownProcessGroup?: boolean } = {},
): WebProcess {
  const child = spawn(command, args, {
    stdio: ['ignore', 'pipe', 'pipe'],
    env: options.env ?? process.env,
    detached: options.ownProcessGroup ?? false,
  });
  let stdout = '';
  let stderr = '';
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null; stdout: string; stderr: string }>((done) =>
    child.on('exit', (code, signal) => done({ code, signal, stdout, stderr })),
  );
  const ready = new Promise<string>((done, fail) => {
    child.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
      const match = /Steward web console: (http:\/\/\S+)/.exec(stdout);
      if (match?.[1]) done(match[1]);
    });
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    void exited.then(({ code }) => fail(new Error(`exited (${String(code)}) before listening: ${stderr}`)));
  });
  // A test that expects the process to refuse awaits `exited`; this keeps `ready`'s rejection from being unhandled.
  ready.catch(() => undefined);
  return { child, ready, exited, output: () => ({ stdout, stderr }) };
}
