import { describe, expect, it } from 'vitest';
import { contract } from '../../shared/contract';
import { AUDIT_QUERIES, INVALIDATES } from '../../shared/contract/invalidation';

const operations = Object.entries(contract);
const callable = (audience: unknown) => audience !== 'system';

describe('invalidation map (issue 15: declared once per operation, next to the contract)', () => {
  it('lists every command a person can call, and nothing else', () => {
    const commands = operations.filter(([, spec]) => spec.kind === 'command' && callable(spec.audience)).map(([name]) => name);
    expect(Object.keys(INVALIDATES).sort()).toEqual(commands.sort());
  });

  it('names only query operations, so every name reaches a cached answer', () => {
    const queries = new Set(operations.filter(([, spec]) => spec.kind === 'query').map(([name]) => name));
    const named = [...AUDIT_QUERIES, ...Object.values(INVALIDATES).flatMap((v) => (v === 'session' ? [] : v))];
    expect(named.filter((name) => !queries.has(name))).toEqual([]);
  });
});
