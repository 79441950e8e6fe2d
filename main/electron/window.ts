import { BrowserWindow } from 'electron';
import { join } from 'node:path';
import { APP_HOST, APP_SCHEME } from '../../shared/bridge';
import { isAppUrl } from '../transports/ipc/sender';

/** The one window: isolated, sandboxed, no Node in the page, no navigation away, no pop-ups. */
export function createMainWindow(onClosed: (id: number) => void): BrowserWindow {
  const win = new BrowserWindow({
    width: 1280,
    height: 820,
    minWidth: 900,
    minHeight: 600,
    show: false,
    title: 'Steward',
    webPreferences: {
      preload: join(__dirname, 'preload.cjs'),
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      webviewTag: false,
      spellcheck: false,
    },
  });
  const id = win.webContents.id;
  win.webContents.setWindowOpenHandler(() => ({ action: 'deny' }));
  win.webContents.on('will-navigate', (event, url) => {
    if (!isAppUrl(url)) event.preventDefault();
  });
  win.webContents.on('will-attach-webview', (event) => event.preventDefault());
  win.once('ready-to-show', () => win.show());
  win.on('closed', () => onClosed(id));
  void win.loadURL(`${APP_SCHEME}://${APP_HOST}/index.html`);
  return win;
}
