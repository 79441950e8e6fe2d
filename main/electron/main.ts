import { app, ipcMain, net, protocol, safeStorage, session, shell } from 'electron';
import { join, normalize, sep } from 'node:path';
import { pathToFileURL } from 'node:url';
import { APP_SCHEME, IPC_CHANNEL, IPC_SSO_CHANNEL } from '../../shared/bridge';
import { openSteward, type Steward } from '../app';
import { lockDataFolder, type DataFolderLock } from '../data-lock';
import { log } from '../log';
import type { KeySealer } from '../security/secret-box';
import { startupMessage } from '../startup-errors';
import { CONTENT_SECURITY_POLICY } from '../transports/http/static-files';
import { IpcTransport } from '../transports/ipc/ipc';
import { createMainWindow } from './window';

protocol.registerSchemesAsPrivileged([{ scheme: APP_SCHEME, privileges: { standard: true, secure: true, supportFetchAPI: true } }]);

const rendererDir = join(__dirname, '..', 'renderer');

/** The OS keyring seals the data key, except where Electron would fall back to plain text. */
function keyringSealer(): KeySealer | undefined {
  if (!safeStorage.isEncryptionAvailable()) return undefined;
  if (process.platform === 'linux' && safeStorage.getSelectedStorageBackend() === 'basic_text') return undefined;
  return {
    seal: (key) => safeStorage.encryptString(key.toString('base64')),
    open: (sealed) => Buffer.from(safeStorage.decryptString(sealed), 'base64'),
  };
}

function serveRenderer(): void {
  protocol.handle(APP_SCHEME, async (request) => {
    const path = normalize(decodeURIComponent(new URL(request.url).pathname)).replace(/^([/\\])+/, '');
    const file = join(rendererDir, path || 'index.html');
    if (!file.startsWith(rendererDir + sep)) return new Response('Not found', { status: 404 });
    const response = await net.fetch(pathToFileURL(file).toString());
    const headers = new Headers(response.headers);
    headers.set('Content-Security-Policy', CONTENT_SECURITY_POLICY);
    headers.set('X-Content-Type-Options', 'nosniff');
    return new Response(response.body, { status: response.status, headers });
  });
}

async function start(): Promise<void> {
  // One desktop window per user: a second launch hands over to the first (which comes to the front) and quits.
  if (!app.requestSingleInstanceLock()) {
    process.stdout.write('Steward is already open; switching to its window.\n');
    app.quit();
    return;
  }
  await app.whenReady();
  let steward: Steward;
  let lock: DataFolderLock | undefined;
  try {
    const dataDir = process.env.STEWARD_DATA ?? app.getPath('userData');
    // The web console or a hub may hold the same folder: the lock file says which.
    lock = lockDataFolder(dataDir, 'desktop window');
    const keySealer = keyringSealer();
    steward = openSteward({
      dataDir,
      // The desktop's main process never waits for a long read: the read pool's worker is built beside this bundle.
      readPool: { script: join(__dirname, 'read-worker.cjs'), warm: true },
      ...(keySealer ? { keySealer } : {}),
      ...(process.env.STEWARD_NATIVE_BINDING ? { nativeBinding: process.env.STEWARD_NATIVE_BINDING } : {}),
    });
  } catch (error) {
    process.stderr.write(`${startupMessage(error)}\n`);
    lock?.release();
    app.exit(1);
    return;
  }
  session.defaultSession.setPermissionRequestHandler((_contents, _permission, callback) => callback(false));
  serveRenderer();
  const ipc = new IpcTransport(steward.dispatcher);
  ipcMain.handle(IPC_CHANNEL, (event, name: unknown, input: unknown) => {
    const frame = event.senderFrame;
    return ipc.handle(
      { frameUrl: frame?.url ?? null, isMainFrame: frame !== null && frame === event.sender.mainFrame, webContentsId: event.sender.id },
      name,
      input,
    );
  });
  ipcMain.handle(IPC_SSO_CHANNEL, (event, providerId: unknown) => {
    const frame = event.senderFrame;
    return ipc.signInWithProvider(
      { frameUrl: frame?.url ?? null, isMainFrame: frame !== null && frame === event.sender.mainFrame, webContentsId: event.sender.id },
      providerId,
      (url) => shell.openExternal(url),
    );
  });
  const win = createMainWindow((id) => ipc.forget(id));
  ipc.windows.add(win.webContents.id);
  app.on('second-instance', () => {
    if (win.isMinimized()) win.restore();
    win.focus();
  });
  app.on('window-all-closed', () => {
    steward.close();
    lock?.release();
    app.quit();
  });
  log.info('desktop window open');
}

void start();
