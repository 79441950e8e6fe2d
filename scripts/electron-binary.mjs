// Finds the Electron binary, or says why there is none. The `electron` package's
// main export is the binary's path and throws when the download was skipped.
import { createRequire } from 'node:module';
import { existsSync } from 'node:fs';

const require = createRequire(import.meta.url);

export function electronBinary() {
  try {
    const path = require('electron');
    if (typeof path === 'string' && existsSync(path)) return { path };
    return { missing: `the Electron binary is not at ${String(path)}` };
  } catch (error) {
    return { missing: `the Electron binary is not installed (${error instanceof Error ? error.message.split('\n')[0] : String(error)})` };
  }
}
