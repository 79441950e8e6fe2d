import { describe, expect, it } from 'vitest';
import { GROUP_KINDS } from '../../shared/access/groups';
import { moduleAvailable } from '../../shared/access/modules';

describe('seed 001: Historical charts', () => {
  it('are available at every kind of group, as the table says (only deployment is end-customer only)', () => {
    expect(GROUP_KINDS.filter((kind) => !moduleAvailable('charts', kind))).toEqual([]);
  });
});
