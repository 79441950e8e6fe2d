import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openSteward, type Steward, type StewardOptions } from '../main/app';
import type { Db } from '../main/db/connection';

export interface BenchSteward {
  steward: Steward;
  db: Db;
  /** Closes the database and removes the folder. */
  dispose(): void;
}

/**
 * A new data folder with what every bench starts from: the provider root and its Owner
 * (id 'owner', bound as Owner at the root). Benches write their own rows after it.
 */
export function benchSteward(name: string, rootName = 'Provider', options: Omit<StewardOptions, 'dataDir'> = {}): BenchSteward {
  const dir = mkdtempSync(join(tmpdir(), `steward-bench-${name}-`));
  // As the console runs: the WAL checkpointed by its own thread (main/db/checkpointer.ts), from the built read worker.
  const steward = openSteward({ checkpointer: { script: new URL('../main/read-worker.js', import.meta.url) }, ...options, dataDir: dir });
  const db = steward.db;
  db.transaction(() => {
    db.prepare("INSERT INTO groups (id, parent_id, kind, name, created_at, updated_at) VALUES ('root', NULL, 'provider', ?, 0, 0)").run(
      rootName,
    );
    db.prepare("INSERT INTO group_closure VALUES ('root', 'root', 0)").run();
    db.prepare(
      "INSERT INTO users (id, username, email, home_group_id, protected, created_at, updated_at) VALUES ('owner', 'owner', 'o@x.test', 'root', 1, 0, 0)",
    ).run();
    db.prepare("INSERT INTO role_bindings VALUES ('owner', 'builtin-owner', 'root')").run();
  })();
  return {
    steward,
    db,
    dispose() {
      steward.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
