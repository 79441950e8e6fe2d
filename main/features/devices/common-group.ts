/**
 * The deepest group containing all of the given ones, from their paths (root first): an
 * event about many devices is filed there, so audit scoping shows it to exactly those
 * who oversee all of them.
 */
export function commonGroup(paths: Iterable<readonly string[]>): string | undefined {
  let common: readonly string[] | undefined;
  for (const path of paths) {
    if (!common) {
      common = path;
      continue;
    }
    let i = 0;
    while (i < common.length && i < path.length && common[i] === path[i]) i++;
    common = common.slice(0, i);
  }
  return common?.[common.length - 1];
}
