import { _electron as electron, expect, test } from '@playwright/test';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { electronBinary } from '../../scripts/electron-binary.mjs';

const binary = electronBinary() as { path?: string; missing?: string };
const SKIP_REASON = `Electron tests skipped: ${binary.missing ?? ''}. Run "node node_modules/electron/install.js" where the network allows.`;
// The list reporter does not print skip reasons, so say it once here.
if (!binary.path) process.stdout.write(`${SKIP_REASON}\n`);

/**
 * The desktop shell, driven through Playwright's Electron support. The build machines
 * cannot download Electron's binary, so there these tests skip and say why.
 */
test.describe('Electron shell', () => {
  test.skip(!binary.path, SKIP_REASON);

  test('opens the console in an isolated, sandboxed window with one narrow bridge', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'steward-electron-'));
    const app = await electron.launch({ executablePath: binary.path ?? '', args: ['.'], env: { ...process.env, STEWARD_DATA: dataDir } });
    try {
      const page = await app.firstWindow();
      await expect(page.getByRole('heading', { name: 'Set up Steward' })).toBeVisible();
      const exposed = await page.evaluate(() => ({
        bridge: Object.keys((window as unknown as { steward: object }).steward),
        hasRequire: typeof (window as unknown as { require?: unknown }).require,
        hasProcess: typeof (window as unknown as { process?: unknown }).process,
      }));
      expect(exposed).toEqual({ bridge: ['invoke'], hasRequire: 'undefined', hasProcess: 'undefined' });
      const opened = await page.evaluate(() => window.open('https://example.com') === null);
      expect(opened).toBe(true);
    } finally {
      await app.close();
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
