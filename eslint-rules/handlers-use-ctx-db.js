/**
 * A handler reads and writes through `ctx.db` only (issue 12): the hub runs the same
 * handlers against its own database, and a replica replays commands against a copy, so
 * a database handle captured when a handler was built would silently act on the wrong
 * one. This rule looks inside every `handler(name, { ... })` definition for a reference
 * that reaches a database from outside the definition:
 * - a variable named `db`, or one declared with type `Db` / `Database` (a factory's
 *   parameter, a module constant, a destructured `{ db }`);
 * - `<outer>.db` or `this.db` (a deps object or service handed to the factory).
 * `ctx.db` passes because `ctx` is the handler's own parameter; so does a `db` taken
 * from `ctx` inside the definition, or the third parameter of an access rule's `needs`.
 * Services that wrap a database (SessionStore, Throttle, JobRunner) are not flagged yet:
 * they are handed to factories until they become services of the dispatcher.
 */
const DB_TYPES = new Set(['Db', 'Database']);

/** The type name a declaration's annotation gives, e.g. `Db` for `(db: Db)`. */
function annotatedType(identifier) {
  const type = identifier.typeAnnotation?.typeAnnotation;
  if (type?.type !== 'TSTypeReference') return undefined;
  return type.typeName.type === 'Identifier' ? type.typeName.name : type.typeName.right?.name;
}

function isDatabaseVariable(variable, name) {
  if (name === 'db') return true;
  return (variable?.defs ?? []).some((def) => def.name.type === 'Identifier' && DB_TYPES.has(annotatedType(def.name)));
}

/** @type {import('eslint').Rule.RuleModule} */
export const handlersUseCtxDb = {
  meta: {
    type: 'problem',
    schema: [],
    messages: {
      captured:
        'A handler must use ctx.db: "{{name}}" is a database captured outside the handler, so replaying the command or running it on the hub would act on the wrong database.',
      notInline: 'Define the handler inline (handler(name, { ... })) so the ctx.db rule can check it.',
    },
  },
  create(context) {
    const sourceCode = context.sourceCode;
    return {
      "CallExpression[callee.type='Identifier'][callee.name='handler']"(node) {
        const def = node.arguments[1];
        if (!def) return;
        if (def.type !== 'ObjectExpression') {
          context.report({ node: def, messageId: 'notInline' });
          return;
        }
        const [start, end] = def.range;
        const inside = (n) => n.range[0] >= start && n.range[1] <= end;
        const scopes = [];
        const collect = (scope) => {
          scopes.push(scope);
          scope.childScopes.forEach(collect);
        };
        collect(sourceCode.getScope(node));
        for (const scope of scopes) {
          for (const reference of scope.references) {
            const id = reference.identifier;
            if (!inside(id)) continue;
            const variable = reference.resolved;
            if (variable?.defs.some((d) => inside(d.name))) continue;
            const member = id.parent.type === 'MemberExpression' && id.parent.object === id ? id.parent : undefined;
            if (isDatabaseVariable(variable, id.name)) {
              context.report({ node: id, messageId: 'captured', data: { name: id.name } });
            } else if (member && !member.computed && member.property.name === 'db') {
              context.report({ node: member, messageId: 'captured', data: { name: `${id.name}.db` } });
            }
          }
        }
      },
      // `this` has no variable to resolve, so `this.db` is matched by shape.
      "CallExpression[callee.type='Identifier'][callee.name='handler'] > ObjectExpression MemberExpression[object.type='ThisExpression'][property.name='db']"(
        node,
      ) {
        context.report({ node, messageId: 'captured', data: { name: 'this.db' } });
      },
    };
  },
};

export default { rules: { 'handlers-use-ctx-db': handlersUseCtxDb } };
