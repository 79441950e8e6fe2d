// `npm run dist`: the desktop packages (electron-builder.yml). node_modules is left as it is:
// better-sqlite3's Node-API binary loads in Electron unchanged, so nothing is rebuilt, and
// `npm start`, `npm run web` and `npm test` keep working whatever happens here. Without the
// network, electron-builder cannot fetch Electron: that is said in one line, not a stack trace.
import { spawn, spawnSync } from 'node:child_process';
import { nodeVersionProblem } from './node-version.mjs';

const versionProblem = nodeVersionProblem();
if (versionProblem) {
  process.stderr.write(`${versionProblem}\n`);
  process.exit(1);
}

/** What a failed download says (Node's and electron-builder's wording), in any of its output. */
const NETWORK_FAILURE = /\b(ENOTFOUND|EAI_AGAIN|ECONNREFUSED|ECONNRESET|ETIMEDOUT|ENETUNREACH|EHOSTUNREACH)\b|getaddrinfo|socket hang up/;

export function networkProblem(output) {
  if (!NETWORK_FAILURE.test(output)) return null;
  // The error code and, for a failed name lookup, the host: "ENOTFOUND github.com".
  const detail = /\b(ENOTFOUND|EAI_AGAIN)\s+([\w.-]+)/.exec(output)?.slice(1).join(' ') ?? NETWORK_FAILURE.exec(output)?.[0] ?? '';
  return (
    `npm run dist needs the network: electron-builder could not download Electron or its packaging tools ` +
    `(${detail}). Nothing in node_modules was changed; run it again where the network is reachable.`
  );
}

async function main() {
  process.stdout.write('Building Steward…\n');
  if (spawnSync(process.execPath, ['scripts/build.mjs'], { stdio: 'inherit' }).status !== 0) process.exit(1);

  const builder = spawn(
    process.execPath,
    ['node_modules/electron-builder/cli.js', '--config', 'electron-builder.yml', ...process.argv.slice(2)],
    {
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => builder.kill(signal));
  // Progress lines ("  • packaging …") are shown as they come; everything else is held until the end,
  // so a network failure's stack trace can give way to one sentence.
  let held = '';
  let partial = '';
  const take = (chunk) => {
    const lines = (partial + chunk.toString()).split('\n');
    partial = lines.pop() ?? '';
    for (const line of lines) {
      if (/^\s*•/.test(line) && !NETWORK_FAILURE.test(line)) process.stdout.write(`${line}\n`);
      else held += `${line}\n`;
    }
  };
  builder.stdout.on('data', take);
  builder.stderr.on('data', take);
  const code = await new Promise((resolve) => builder.on('close', (status, signal) => resolve(signal ? 1 : (status ?? 1))));
  held += partial;
  if (code === 0) {
    process.stdout.write(held);
    process.stdout.write('Desktop packages written to release/.\n');
    return;
  }
  const network = networkProblem(held);
  process.stderr.write(network ? `${network}\n` : held);
  process.exit(code);
}

if (import.meta.url === `file://${process.argv[1]}`) await main();
