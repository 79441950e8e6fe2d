import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { nodeVersionProblem, wantedNodeMajor } from '../../scripts/node-version.mjs';

/** Issue 16: one Node LTS line (.nvmrc), agreed by package.json's engines, checked at start-up with a clear message. */
describe('the Node.js line', () => {
  it('.nvmrc, engines and the running Node agree', () => {
    const wanted = wantedNodeMajor();
    expect(wanted).toBe(24);
    const engines = (JSON.parse(readFileSync('package.json', 'utf8')) as { engines: { node: string } }).engines.node;
    expect(engines).toBe(`>=${wanted}`);
    expect(nodeVersionProblem()).toBeNull(); // the tests themselves run on it
  });

  it('an older Node is told what to install; the same or a newer one passes', () => {
    expect(nodeVersionProblem('20.20.2')).toBe(
      "Steward needs Node.js 24 (LTS) or newer; this is Node.js 20.20.2. Install Node.js 24 (with nvm: `nvm install` in this folder, which reads .nvmrc; without it: `source .ci/node.sh`, which fetches it from the npm registry into .tools/ for this shell; or from your system's packages), then run `npm ci` again so that better-sqlite3 is built for it.",
    );
    expect(nodeVersionProblem('24.0.0')).toBeNull();
    expect(nodeVersionProblem('26.1.0')).toBeNull();
  });

  const older = spawnSync('/usr/bin/node', ['-p', 'process.versions.node'], { encoding: 'utf8' });
  const olderVersion = older.status === 0 ? older.stdout.trim() : '';
  const usable = olderVersion !== '' && Number(olderVersion.split('.')[0]) < wantedNodeMajor();
  it.skipIf(!usable)(
    `\`npm start\` under an older Node (${olderVersion || 'none at /usr/bin/node'}) stops with that sentence and nothing else`,
    () => {
      const run = spawnSync('/usr/bin/node', ['scripts/start.mjs', '--web'], { encoding: 'utf8' });
      expect(run.status).toBe(1);
      expect(run.stderr.trim()).toBe(nodeVersionProblem(olderVersion));
      expect(run.stdout).toBe('');
    },
  );
});
