import type { z } from 'zod';

interface Def {
  type: string;
  shape?: Record<string, z.ZodType>;
  innerType?: z.ZodType;
  element?: z.ZodType;
  options?: z.ZodType[];
  in?: z.ZodType;
  valueType?: z.ZodType;
}

function defOf(schema: z.ZodType): Def {
  return (schema as unknown as { _zod: { def: Def } })._zod.def;
}

const WRAPPERS = new Set(['optional', 'nullable', 'default', 'prefault', 'readonly', 'catch', 'nonoptional', 'lazy']);

/**
 * Whether a dotted path (`parentId`, `rows.3.group`, `smtp.password`) names a field of an
 * operation's input schema. Every refusal must name a field the caller sent (issue 15: a
 * form can only mark the box it has), or none; tests hold every handler to it.
 */
export function namesInputField(schema: z.ZodType, path: string): boolean {
  const parts = path.split('.');
  const walk = (node: z.ZodType, at: number): boolean => {
    const def = defOf(node);
    if (WRAPPERS.has(def.type) && def.innerType) return walk(def.innerType, at);
    if (def.type === 'pipe' && def.in) return walk(def.in, at);
    if (def.type === 'union' && def.options) return def.options.some((option) => walk(option, at));
    if (at === parts.length) return true;
    const part = parts[at] ?? '';
    if (def.type === 'object' && def.shape) {
      const child = Object.prototype.hasOwnProperty.call(def.shape, part) ? def.shape[part] : undefined;
      return child !== undefined && walk(child, at + 1);
    }
    if (def.type === 'array' && def.element) return /^\d+$/.test(part) && walk(def.element, at + 1);
    if (def.type === 'record' && def.valueType) return walk(def.valueType, at + 1);
    return false;
  };
  return walk(schema, 0);
}
