import { ESLint, Linter } from 'eslint';
import tseslint from 'typescript-eslint';
import { describe, expect, it } from 'vitest';
import steward from '../../eslint-rules/handlers-use-ctx-db.js';

/**
 * The lint rule that keeps handlers on ctx.db (issue 12: the hub and a replica's replay run
 * the same handlers against another database). Each case is a handler shape the codebase
 * has had or could slip back to.
 */
const linter = new Linter({ configType: 'flat' });
const config: Linter.Config[] = [
  {
    files: ['**/*.ts'],
    languageOptions: { parser: tseslint.parser },
    plugins: { steward },
    rules: { 'steward/handlers-use-ctx-db': 'error' },
  },
];

function problems(code: string): string[] {
  return linter.verify(code, config, 'main/features/example.ts').map((m) => m.message);
}

describe('lint rule: a handler reads and writes through ctx.db only', () => {
  it.each([
    ['a factory parameter', `export const h = (db: Db) => handler('x', { run: (ctx) => read(db, ctx) });`, '"db"'],
    ['a database under another name', `export const h = (store: Db) => handler('x', { run(ctx) { return read(store); } });`, '"store"'],
    ['a module constant', `const main: Database.Database = open();\nhandler('x', { run: () => read(main) });`, '"main"'],
    [
      'a deps object',
      `export const h = (deps: Deps) => handler('x', { async prepare(ctx) { return read(deps.db); }, run: () => 1 });`,
      '"deps.db"',
    ],
    [
      'an after step',
      `export const h = (db: Db) => handler('x', { run: () => 1, async after(ctx, out) { prune(db); return out; } });`,
      '"db"',
    ],
    ['an access rule built with it', `export const h = (db: Db) => handler('x', { access: atRoot(db, 'k'), run: () => 1 });`, '"db"'],
    ['this.db', `class S { db!: Db; h() { return handler('x', { run: () => read(this.db) }); } }`, '"this.db"'],
  ])('refuses a database captured from %s', (_label, code, name) => {
    const found = problems(code);
    expect(found).toHaveLength(1);
    expect(found[0]).toContain(name);
    expect(found[0]).toContain('ctx.db');
  });

  it('refuses a definition it cannot inspect', () => {
    expect(problems(`const def = { run: () => 1 };\nhandler('x', def);`)).toEqual([expect.stringContaining('inline')]);
  });

  it.each([
    ['ctx.db', `export const h = () => handler('x', { run: (ctx, input) => create(ctx.db, ctx, input) });`],
    ['a db taken from ctx', `export const h = () => handler('x', { run(ctx) { const { db } = ctx; return read(db); } });`],
    [
      'the database handed to an access rule',
      `handler('x', { access: { kind: 'scoped', needs: (input, actor, db) => find(db, input) }, run: () => 1 });`,
    ],
    [
      'a service wrapping a database (for now)',
      `export const h = (sessions: SessionStore) => handler('x', { run: (ctx) => sessions.delete(ctx.actor.sessionId) });`,
    ],
  ])('accepts %s', (_label, code) => {
    expect(problems(code)).toEqual([]);
  });

  it('is on for every feature module, the job handlers and system commands included', async () => {
    const eslint = new ESLint();
    const level = async (file: string) =>
      ((await eslint.calculateConfigForFile(file)) as Linter.Config).rules?.['steward/handlers-use-ctx-db'];
    expect(await level('main/features/groups/write.ts')).toEqual([2]);
    expect(await level('main/features/settings/handlers.ts')).toEqual([2]);
    expect(await level('main/features/devices/jobs/handlers.ts')).toEqual([2]);
    expect(await level('main/features/devices/jobs/steps.ts')).toEqual([2]);
    expect(await level('main/features/audit/verify.ts')).toEqual([2]);
  });
});
