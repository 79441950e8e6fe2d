import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { openSteward, systemClock, systemEntropy } from './app';
import { defaultDataDir } from './data-dir';
import { lockDataFolder } from './data-lock';
import { log } from './log';
import { hubCertificate } from './security/certificate';
import { stopOnSignals } from './shutdown';
import { startupMessage } from './startup-errors';
import { DEFAULT_OFFLINE_WINDOW_MS, SyncHub } from './sync/hub';
import { startWebServer } from './transports/http/server';
import { syncRoutes } from './transports/http/sync-routes';

const USAGE = `Usage: npm run hub -- --data DIR --listen HOST:PORT [--public-name NAME]... [--cert FILE --key FILE] [--offline-window-days N]
  --listen        the address and port to serve on (default 0.0.0.0:4790); port 0 picks a free one
  --public-name   a name or address desktops and browsers reach the hub by (repeatable); the Host
                  and Origin checks accept it, and a generated certificate names it
  --cert, --key   the administrator's certificate and key (PEM); without them a self-signed one is
                  generated on the first start and kept in the data folder
  --offline-window-days  how long a replica may sign its person in without the hub (default 7)`;

function fail(message: string): never {
  process.stderr.write(`${message}\n${USAGE}\n`);
  process.exit(2);
}

/** `HOST:PORT`, `[v6]:PORT` or `:PORT`; throws a usage error naming --listen. */
function parseListen(text: string): { host: string; port: number } {
  const match = /^(?:\[([^\]]+)\]|([^:]*)):(\d{1,5})$/.exec(text);
  const port = Number(match?.[3]);
  if (!match || !Number.isInteger(port) || port > 65535) fail(`--listen ${text}: expected HOST:PORT, for example 0.0.0.0:4790`);
  return { host: match[1] ?? (match[2] || '0.0.0.0'), port };
}

async function main(): Promise<void> {
  let values;
  try {
    ({ values } = parseArgs({
      options: {
        data: { type: 'string' },
        listen: { type: 'string' },
        'public-name': { type: 'string', multiple: true },
        cert: { type: 'string' },
        key: { type: 'string' },
        'offline-window-days': { type: 'string' },
        help: { type: 'boolean' },
      },
    }));
  } catch (error) {
    fail(error instanceof Error ? error.message : String(error));
  }
  if (values.help) {
    process.stdout.write(`${USAGE}\n`);
    return;
  }
  const { host, port } = parseListen(values.listen ?? process.env.STEWARD_HUB_LISTEN ?? '0.0.0.0:4790');
  if ((values.cert === undefined) !== (values.key === undefined)) fail('--cert and --key go together');
  const days = values['offline-window-days'] === undefined ? undefined : Number(values['offline-window-days']);
  if (days !== undefined && !(Number.isFinite(days) && days > 0 && days <= 365))
    fail('--offline-window-days must be a number of days from more than 0 to 365');
  const names = values['public-name'] ?? [];
  const dataDir = values.data ?? process.env.STEWARD_DATA ?? defaultDataDir();

  // One process per data folder: a second hub, or a console, on it is refused naming the holder.
  const lock = lockDataFolder(dataDir, 'hub');
  // A hub answers the network: its first-run setup takes the one-time setup code (R35).
  const steward = openSteward({
    dataDir,
    readPool: { script: new URL('./read-worker.js', import.meta.url), warm: true },
    firstRun: 'code',
  });
  const certificate = await hubCertificate(dataDir, names, values.cert && values.key ? { cert: values.cert, key: values.key } : undefined);
  const hub = new SyncHub({
    db: steward.db,
    dispatcher: steward.dispatcher,
    secrets: steward.secrets,
    clock: systemClock,
    entropy: systemEntropy,
    offlineWindowMs: days === undefined ? DEFAULT_OFFLINE_WINDOW_MS : Math.round(days * 24 * 3_600_000),
    // Only the crash tests set it: they stop the hub while a push is under way.
    pauseBetweenCommandsMs: Number(process.env.STEWARD_HUB_PUSH_PAUSE_MS ?? 0) || 0,
  });
  const routes = syncRoutes(hub, steward.installationId);
  const server = await startWebServer({
    dispatcher: steward.dispatcher,
    port,
    host,
    tls: { cert: certificate.cert, key: certificate.key },
    publicNames: names,
    staticDir: fileURLToPath(new URL('../renderer/', import.meta.url)),
    routes: routes.handle,
  });
  // Before the lines below say it is ready: a signal that came before Node had a handler for it would end the process
  // at once (the system's default), leaving the folder locked.
  stopOnSignals([() => routes.close(), () => server.close(), () => steward.close(), () => lock.release()]);
  // Tests, scripts and administrators read these lines.
  process.stdout.write(`Steward hub: ${server.url}\n`);
  process.stdout.write(
    `Certificate SHA-256 fingerprint${certificate.generated ? ' (generated now; compare it when a desktop connects)' : ''}: ${certificate.fingerprint}\n`,
  );
  // Only the console that started the hub shows the code (and the 0600 file keeps it): never the log, audit or change feed.
  const setupCode = steward.firstRun.shown;
  if (setupCode !== null) {
    process.stdout.write(
      `First-run setup code: ${setupCode} (also in ${steward.firstRun.file ?? ''}; the setup form asks for it, and it is removed once setup is done)\n`,
    );
  }
  log.info(`hub data folder: ${dataDir}`);
}

main().catch((error: unknown) => {
  process.stderr.write(`${startupMessage(error)}\n`);
  process.exit(1);
});
