// The Node.js line Steward is built and tested on: `.nvmrc` holds its major version, and
// package.json's `engines` agrees with it and with every dependency's own.
import { readFileSync } from 'node:fs';

/** The major version in `.nvmrc` (a number), read from the repository root. */
export function wantedNodeMajor() {
  return Number(
    readFileSync(new URL('../.nvmrc', import.meta.url), 'utf8')
      .trim()
      .replace(/^v/, ''),
  );
}

/**
 * A sentence saying what to install when `version` (process.versions.node) is older than
 * `.nvmrc`'s line, or null when it will do.
 */
export function nodeVersionProblem(version = process.versions.node) {
  const wanted = wantedNodeMajor();
  const major = Number(version.split('.')[0]);
  if (major >= wanted) return null;
  return (
    `Steward needs Node.js ${wanted} (LTS) or newer; this is Node.js ${version}. ` +
    `Install Node.js ${wanted} (with nvm: \`nvm install\` in this folder, which reads .nvmrc; without it: \`source .ci/node.sh\`, ` +
    `which fetches it from the npm registry into .tools/ for this shell; or from your system's packages), ` +
    'then run `npm ci` again so that better-sqlite3 is built for it.'
  );
}
