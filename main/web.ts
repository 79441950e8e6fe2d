import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { openSteward } from './app';
import { defaultDataDir } from './data-dir';
import { lockDataFolder } from './data-lock';
import { log } from './log';
import { stopOnSignals } from './shutdown';
import { startupMessage } from './startup-errors';
import { startWebServer } from './transports/http/server';

const USAGE =
  'Usage: steward-web [--port N] [--data DIR] [--hub URL]   (STEWARD_DATA also sets the data folder)\n' +
  '  --hub URL   offer to connect this data folder to the hub at URL (a replica); the person confirms the certificate fingerprint and signs in';

async function main(): Promise<void> {
  let values;
  try {
    ({ values } = parseArgs({
      options: { port: { type: 'string' }, data: { type: 'string' }, hub: { type: 'string' }, help: { type: 'boolean' } },
    }));
  } catch (error) {
    process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n${USAGE}\n`);
    process.exit(2);
  }
  if (values.help) {
    process.stdout.write(`${USAGE}\n`);
    return;
  }
  const port = Number(values.port ?? process.env.STEWARD_PORT ?? '4780');
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    process.stderr.write(`--port must be a whole number from 0 to 65535\n${USAGE}\n`);
    process.exit(2);
  }
  const dataDir = values.data ?? process.env.STEWARD_DATA ?? defaultDataDir();
  // Before the database opens: a second console on the same folder stops here, naming the first.
  const lock = lockDataFolder(dataDir, 'web console');
  const steward = openSteward({ dataDir, readPool: { script: new URL('./read-worker.js', import.meta.url), warm: true } });
  if (values.hub) steward.replica.suggest(values.hub);
  await steward.ready;
  const staticDir = fileURLToPath(new URL('../renderer/', import.meta.url));
  const server = await startWebServer({ dispatcher: steward.dispatcher, port, staticDir });
  // Before the line below says it is ready: a signal that came before Node had a handler for it would end the process
  // at once (the system's default), leaving the folder locked.
  stopOnSignals([() => server.close(), () => steward.close(), () => lock.release()]);
  // Tests and scripts read this line to find the console.
  process.stdout.write(`Steward web console: ${server.url}\n`);
  log.info(`data folder: ${dataDir}`);
}

main().catch((error: unknown) => {
  process.stderr.write(`${startupMessage(error)}\n`);
  process.exit(1);
});
