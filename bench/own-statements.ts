import type { Db } from '../main/db/connection';

type Method = 'all' | 'get' | 'iterate';
interface Executed {
  source: string;
  method: Method;
  args: unknown[];
}
interface StatementMethods {
  source: string;
  reader: boolean;
  all(...args: unknown[]): unknown;
  get(...args: unknown[]): unknown;
  iterate(...args: unknown[]): Iterable<unknown>;
}

/**
 * The floor "its own SQL outside the server" (issue 17, finding 2: the same SQL run by hand):
 * runs `call` once while recording every reading statement it executes on `db` (its text and
 * parameters, in order; BEGIN, COMMIT and writes left out), and answers a function that runs
 * those statements again, prepared beforehand, straight on the connection. A call's time
 * against it is the cost of everything around its SQL: the dispatcher, access rules,
 * JavaScript, shaping the answer. Bench code only: it wraps better-sqlite3's Statement methods
 * while the one call runs.
 */
export async function ownStatements(db: Db, call: () => Promise<unknown>): Promise<{ run: () => void; count: number }> {
  const proto = Object.getPrototypeOf(db.prepare('SELECT 1')) as Record<Method, (...args: unknown[]) => unknown>;
  const executed: Executed[] = [];
  const originals = { all: proto.all, get: proto.get, iterate: proto.iterate };
  for (const method of Object.keys(originals) as Method[]) {
    const original = originals[method];
    proto[method] = function (this: StatementMethods, ...args: unknown[]) {
      if (this.reader) executed.push({ source: this.source, method, args });
      return original.apply(this, args);
    };
  }
  try {
    await call();
  } finally {
    Object.assign(proto, originals);
  }
  const prepared = executed.map((e) => ({ ...e, statement: db.prepare(e.source) as unknown as StatementMethods }));
  return {
    count: prepared.length,
    run() {
      for (const { statement, method, args } of prepared) {
        if (method === 'iterate') for (const row of statement.iterate(...args)) void row;
        else statement[method](...args);
      }
    },
  };
}
