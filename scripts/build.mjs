// Builds what runs outside the test runner: the main-process bundles (web console,
// Electron main and preload, benchmarks) with esbuild, and the renderer with Vite.
import { build as esbuild } from 'esbuild';
import { cpSync, mkdirSync } from 'node:fs';
import { build as vite } from 'vite';

const mainOnly = process.argv.includes('--main-only');
const shared = { bundle: true, platform: 'node', target: 'node24', packages: 'external', logLevel: 'warning', sourcemap: true };
// The CJS bundles (Electron) get import.meta.url from __filename, so assets resolve the same way.
const cjsImportMeta = {
  banner: { js: "const __importMetaUrl = require('node:url').pathToFileURL(__filename).href;" },
  define: { 'import.meta.url': '__importMetaUrl' },
};

await Promise.all([
  esbuild({
    ...shared,
    // read-worker: the read pool's worker thread (main/db/read-pool.ts), loaded beside web.js and hub.js.
    entryPoints: { web: 'main/web.ts', hub: 'main/hub.ts', demo: 'main/demo/cli.ts', 'read-worker': 'main/read-worker.ts' },
    outdir: 'dist/main',
    format: 'esm',
  }),
  esbuild({
    ...shared,
    ...cjsImportMeta,
    entryPoints: { electron: 'main/electron/main.ts', 'read-worker': 'main/read-worker.ts' },
    outdir: 'dist/main',
    format: 'cjs',
    outExtension: { '.js': '.cjs' },
  }),
  esbuild({
    ...shared,
    entryPoints: { preload: 'main/electron/preload.ts' },
    outdir: 'dist/main',
    format: 'cjs',
    outExtension: { '.js': '.cjs' },
  }),
  esbuild({ ...shared, entryPoints: { run: 'bench/run.ts' }, outdir: 'dist/bench', format: 'esm' }),
  // The command line (bin/steward.mjs runs it).
  esbuild({ ...shared, entryPoints: { steward: 'cli/steward.ts' }, outdir: 'dist/cli', format: 'esm' }),
]);
mkdirSync('dist/main/assets', { recursive: true });
cpSync('main/assets', 'dist/main/assets', { recursive: true });
// The bench bundle sits in dist/bench and resolves assets beside itself.
cpSync('main/assets', 'dist/bench/assets', { recursive: true });

if (!mainOnly) await vite({ configFile: 'vite.config.ts', logLevel: 'warn' });
