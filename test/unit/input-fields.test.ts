import { z } from 'zod';
import { describe, expect, it } from 'vitest';
import { contract } from '../../shared/contract';
import { namesInputField } from '../../shared/contract/input-fields';

describe('namesInputField (issue 15: every refusal names the input field it is about)', () => {
  const schema = z
    .object({
      id: z.string(),
      parentId: z.string().optional(),
      smtp: z.object({ password: z.string() }).nullable(),
      rows: z.array(z.object({ group: z.string() })),
      mode: z.union([z.object({ a: z.string() }), z.object({ b: z.string() })]),
    })
    .strict();

  it('finds fields, nested fields, array items and union members', () => {
    for (const path of ['id', 'parentId', 'smtp.password', 'rows.3.group', 'mode.a', 'mode.b'])
      expect(namesInputField(schema, path)).toBe(true);
  });

  it('refuses names the input does not have', () => {
    for (const path of ['userId', 'name', 'smtp.host', 'rows.x.group', 'rows.3.name', 'mode.c', 'id.deeper'])
      expect(namesInputField(schema, path)).toBe(false);
  });

  it('reads the real contract: groups.move has parentId, users.update has id and not userId', () => {
    expect(namesInputField(contract['groups.move'].input, 'parentId')).toBe(true);
    expect(namesInputField(contract['users.update'].input, 'id')).toBe(true);
    expect(namesInputField(contract['users.update'].input, 'userId')).toBe(false);
  });
});
