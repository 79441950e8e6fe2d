import { chmodSync, closeSync, existsSync, mkdirSync, openSync } from 'node:fs';

/** docs/architecture.md (storage) and the security standard: what Steward keeps is readable by its owner only. */
export const PRIVATE_DIR_MODE = 0o700;
export const PRIVATE_FILE_MODE = 0o600;

/**
 * Creates `dir` (and missing parents) and sets it to 0700 whether it was just made or
 * already there with a wider mode (`mkdir`'s mode applies only to new folders, after umask).
 * No-op for the mode on Windows, where permissions are ACLs.
 */
export function ensurePrivateDir(dir: string): void {
  mkdirSync(dir, { recursive: true, mode: PRIVATE_DIR_MODE });
  chmodSync(dir, PRIVATE_DIR_MODE);
}

/**
 * Creates `file` empty at 0600 if it is missing and sets it to 0600 either way, so that a
 * library which later opens it with a default mode (SQLite: 0644 minus umask) finds it
 * private. SQLite gives its `-wal` and `-shm` files the database file's mode.
 */
export function ensurePrivateFile(file: string): void {
  closeSync(openSync(file, 'a', PRIVATE_FILE_MODE));
  chmodSync(file, PRIVATE_FILE_MODE);
}

/** Sets each of `files` that exists to 0600 (SQLite's `-wal`/`-shm` left by an earlier run at a wider mode). */
export function tightenExisting(files: readonly string[]): void {
  for (const file of files) if (existsSync(file)) chmodSync(file, PRIVATE_FILE_MODE);
}
