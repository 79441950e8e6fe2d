import type { Decision } from './decide';
import { KIND_LABELS, type GroupKind } from './groups';
import { MODULES } from './modules';

export interface ExplainNames {
  subject: string;
  target: string;
  /** Names of the target's path from the root down, for "on the path of" sentences. */
  pathNames: readonly string[];
  kind: GroupKind;
  groupName(id: string): string;
  /** The subject's bindings anywhere, as "Role at Group", for the scope case. */
  allBindings: readonly string[];
}

/** The deciding binding, or the first missing link, in words a person understands (R22). */
export function explainDecision(decision: Decision, names: ExplainNames): string {
  const path = names.pathNames.join(' › ');
  if (decision.allowed) {
    const { binding, permission } = decision;
    return `Yes. ${names.subject} holds ${binding.role.name} at ${names.groupName(binding.groupId)}, which covers ${names.target} (${path}), and ${binding.role.name} includes “${permission.label}”.`;
  }
  const label = decision.permission ? `“${decision.permission.label}”` : 'that permission';
  switch (decision.missing) {
    case 'unknown-permission':
      return 'No. That is not a permission Steward knows.';
    case 'module':
      return `No. ${MODULES[decision.permission?.module ?? 'core'].label} is available only at end customers, not at ${KIND_LABELS[names.kind].toLowerCase()} groups, whatever the role says.`;
    case 'scope':
      return names.allBindings.length === 0
        ? `No. ${names.subject} holds no role anywhere.`
        : `No. None of ${names.subject}'s roles is on the path of ${names.target} (${path}). ${names.subject} holds: ${names.allBindings.join('; ')}.`;
    case 'permission': {
      const held = decision.candidates.map((b) => `${b.role.name} at ${names.groupName(b.groupId)}`).join(' and ');
      return `No. ${names.subject} holds ${held}, which does not include ${label}.`;
    }
    case 'assignment': {
      const roles = [...new Set(decision.candidates.map((b) => b.role.name))].join(', ');
      return `No. ${names.subject}'s role (${roles}) sees only devices assigned to them, and ${names.target} is not assigned to ${names.subject}.`;
    }
  }
}
