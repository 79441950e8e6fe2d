// `npm start`: the Electron window where its binary exists (fetching it on demand where
// the network allows); otherwise, and with --web, the same console served on loopback.
// `npm run hub` (--hub) and `npm run demo` (--demo) come here too, for the same build and the
// same signal handling.
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
const wantHub = args.includes('--hub');
const wantDemo = args.includes('--demo');
const passThrough = args.filter((a) => !['--web', '--hub', '--demo'].includes(a));

const STOP_SIGNALS = ['SIGTERM', 'SIGINT', 'SIGHUP'];
/**
 * A stop asked for before the console runs (while building or fetching Electron): it is then
 * never started. npm runs this script under `sh -c`, and a signal npm forwards stops that shell
 * without reaching us; our parent changing is how that shows.
 */
const parentAtStart = process.ppid;
let stopAsked = null;
const noteStop = (signal) => (stopAsked = signal);
for (const signal of STOP_SIGNALS) process.on(signal, noteStop);
const parentGone = () => Boolean(process.env.npm_lifecycle_event) && process.ppid !== parentAtStart;

/** Ends this script, of the signal a stop before the console started asked with, after letting pending signals arrive. */
async function stopIfAsked() {
  await new Promise((resolve) => setTimeout(resolve, 20));
  const signal = stopAsked ?? (parentGone() ? 'SIGTERM' : null);
  if (!signal) return;
  process.stdout.write(`Stopped (${signal}) before the console started.\n`);
  process.removeAllListeners(signal);
  process.kill(process.pid, signal);
  // The signal ends the process; this keeps the caller from going on meanwhile.
  await new Promise(() => undefined);
}

function run(command, commandArgs, options = {}) {
  const result = spawnSync(command, commandArgs, { stdio: 'inherit', ...options });
  return result.status === 0;
}

async function build(buildArgs = []) {
  await stopIfAsked();
  process.stdout.write('Building Steward…\n');
  if (!run(process.execPath, ['scripts/build.mjs', ...buildArgs])) process.exit(1);
}

/**
 * Runs the console as a child that gets every SIGTERM and SIGINT this script gets (a service
 * manager or `kill` stops the console, not only this wrapper), and ends as the child ended.
 */
async function runChild(command, commandArgs, options = {}) {
  await stopIfAsked();
  const child = spawn(command, commandArgs, { stdio: 'inherit', ...options });
  const forward = (signal) => child.kill(signal);
  for (const signal of STOP_SIGNALS) {
    process.off(signal, noteStop);
    process.on(signal, forward);
  }
  // npm's signal that stopped our shell: stop the child as npm asked.
  if (process.env.npm_lifecycle_event) {
    setInterval(() => {
      if (parentGone()) forward('SIGTERM');
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

async function startWeb(reason) {
  if (reason) process.stdout.write(`Opening the web console instead of the desktop window: ${reason}.\n`);
  await build();
  await runChild(process.execPath, ['dist/main/web.js', ...passThrough]);
}

if (wantHub) {
  await build();
  await runChild(process.execPath, ['dist/main/hub.js', ...passThrough]);
} else if (wantDemo) {
  await build(['--main-only']);
  await runChild(process.execPath, ['dist/main/demo.js', ...passThrough]);
} else if (wantWeb) {
  await startWeb(null);
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
    await startWeb(electron.missing);
  } else {
    await build();
    // better-sqlite3 is a Node-API addon: the binary in node_modules loads in Electron as it is, nothing is rebuilt.
    await runChild(electron.path, ['.', ...passThrough]);
  }
}
