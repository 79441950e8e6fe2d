// `npm start`: the Electron window where its binary exists (fetching it on demand where
// the network allows); otherwise, and with --web, the same console served on loopback.
import { spawn, spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join, resolve } from 'node:path';
import { electronBinary } from './electron-binary.mjs';

const args = process.argv.slice(2);
const wantWeb = args.includes('--web');
const passThrough = args.filter((a) => a !== '--web');

function run(command, commandArgs, options = {}) {
  const result = spawnSync(command, commandArgs, { stdio: 'inherit', ...options });
  return result.status === 0;
}

function build() {
  process.stdout.write('Building Steward…\n');
  if (!run(process.execPath, ['scripts/build.mjs'])) process.exit(1);
}

function startWeb(reason) {
  if (reason) process.stdout.write(`Opening the web console instead of the desktop window: ${reason}.\n`);
  build();
  const child = spawn(process.execPath, ['dist/main/web.js', ...passThrough], { stdio: 'inherit' });
  child.on('exit', (code) => process.exit(code ?? 0));
}

/** better-sqlite3 for Electron's ABI, built once into .native/ and loaded through `nativeBinding`. */
function electronNativeBinding() {
  const require = createRequire(import.meta.url);
  const version = require('electron/package.json').version;
  const dir = resolve('.native', `electron-${version}`, 'better-sqlite3');
  const binding = join(dir, 'build', 'Release', 'better_sqlite3.node');
  if (existsSync(binding)) return binding;
  mkdirSync(dir, { recursive: true });
  cpSync('node_modules/better-sqlite3', dir, { recursive: true, filter: (src) => !src.includes(`${'/'}build${'/'}`) });
  const gyp = process.env.npm_config_node_gyp;
  const gypArgs = ['rebuild', `--target=${version}`, '--runtime=electron', '--dist-url=https://electronjs.org/headers'];
  const ok = gyp ? run(process.execPath, [gyp, ...gypArgs], { cwd: dir }) : run('npx', ['--yes', 'node-gyp', ...gypArgs], { cwd: dir });
  return ok && existsSync(binding) ? binding : null;
}

if (wantWeb) {
  startWeb(null);
} else {
  let electron = electronBinary();
  if (electron.missing) {
    process.stdout.write('Fetching the Electron binary…\n');
    const fetch = spawnSync(process.execPath, ['node_modules/electron/install.js'], { encoding: 'utf8', timeout: 120_000 });
    electron = electronBinary();
    if (electron.missing) {
      // The installer's own output is a stack trace; one line says enough.
      const reason =
        `${fetch.stderr ?? ''}`
          .split('\n')
          .find((line) => /error/i.test(line))
          ?.trim() ?? 'no network';
      electron = { missing: `${electron.missing}; fetching it failed (${reason.slice(0, 160)})` };
    }
  }
  if (electron.missing) {
    startWeb(electron.missing);
  } else {
    build();
    const binding = electronNativeBinding();
    if (!binding) {
      startWeb('better-sqlite3 could not be built for Electron here');
    } else {
      const child = spawn(electron.path, ['.', ...passThrough], {
        stdio: 'inherit',
        env: { ...process.env, STEWARD_NATIVE_BINDING: binding },
      });
      child.on('exit', (code) => process.exit(code ?? 0));
    }
  }
}
