// `npm start`: the Electron window where its binary exists (fetching it on demand where
// the network allows); otherwise, and with --web, the same console served on loopback.
import { spawn, spawnSync } from 'node:child_process';
import { electronBinary } from './electron-binary.mjs';
import { nodeVersionProblem } from './node-version.mjs';

const versionProblem = nodeVersionProblem();
if (versionProblem) {
  process.stderr.write(`${versionProblem}\n`);
  process.exit(1);
}

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

/**
 * Runs the console as a child that gets every SIGTERM and SIGINT this script gets (a service
 * manager or `kill` stops the console, not only this wrapper), and ends as the child ended.
 */
function runChild(command, commandArgs, options = {}) {
  const child = spawn(command, commandArgs, { stdio: 'inherit', ...options });
  const forward = (signal) => child.kill(signal);
  for (const signal of ['SIGTERM', 'SIGINT', 'SIGHUP']) process.on(signal, forward);
  // npm runs this script under `sh -c`, and a signal npm forwards stops that shell without
  // reaching us; our parent changing is how that shows, so stop the child as npm asked.
  if (process.env.npm_lifecycle_event) {
    const parent = process.ppid;
    setInterval(() => {
      if (process.ppid !== parent) forward('SIGTERM');
    }, 250).unref();
  }
  child.on('exit', (code, signal) => {
    if (signal) {
      // Die of the same signal, so whoever started us sees how the console ended.
      process.removeAllListeners(signal);
      process.kill(process.pid, signal);
    } else {
      process.exit(code ?? 0);
    }
  });
}

function startWeb(reason) {
  if (reason) process.stdout.write(`Opening the web console instead of the desktop window: ${reason}.\n`);
  build();
  runChild(process.execPath, ['dist/main/web.js', ...passThrough]);
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
    // better-sqlite3 is a Node-API addon: the binary in node_modules loads in Electron as it is, nothing is rebuilt.
    runChild(electron.path, ['.', ...passThrough]);
  }
}
