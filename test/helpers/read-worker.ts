import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { buildSync } from 'esbuild';

let built: string | null = null;

/**
 * main/read-worker.ts bundled as `npm run build` bundles it (a worker thread cannot load the
 * TypeScript sources), once per test process, under node_modules/.cache so that better-sqlite3
 * resolves the same way. Named by its content, so test processes share one file and none is left behind per run.
 */
export function readWorkerScript(): string {
  if (built) return built;
  const text = buildSync({
    entryPoints: ['main/read-worker.ts'],
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node24',
    packages: 'external',
    logLevel: 'warning',
    write: false,
  }).outputFiles[0]?.text;
  if (!text) throw new Error('esbuild made no bundle of main/read-worker.ts');
  const dir = resolve('node_modules/.cache/steward-read-worker');
  mkdirSync(dir, { recursive: true });
  const file = join(dir, `${createHash('sha256').update(text).digest('hex').slice(0, 16)}.mjs`);
  if (!existsSync(file)) {
    // Written whole under another name first: another test process may be loading the same file.
    const partial = `${file}.${process.pid}`;
    writeFileSync(partial, text);
    renameSync(partial, file);
  }
  built = file;
  return file;
}
