import type { Db } from '../db/connection';

/**
 * This data folder's installation id: the `origin` of every command and audit event made
 * here (DESIGN 6). Drawn once by migration 14 and never changed; a copied data folder keeps
 * it, which is what a replay on a copy relies on.
 *
 * @returns a UUID string.
 * @throws Error when the database has not been migrated to schema 14.
 */
export function installationId(db: Db): string {
  const found = db.prepare<[], { id: string }>('SELECT id FROM installation WHERE one = 1').get();
  if (!found) throw new Error('This database has no installation id (schema older than 14)');
  return found.id;
}
