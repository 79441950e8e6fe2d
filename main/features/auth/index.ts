import type { RegisteredHandler } from '../../dispatch/registry';
import type { AuthDeps } from './deps';
import { beginEnrollmentHandler, confirmEnrollmentHandler } from './enrollment';
import { changePasswordHandler } from './password';
import { regenerateRecoveryCodesHandler } from './recovery-regenerate';
import { setupHandler } from './setup';
import type { FirstRunGate } from './setup-code';
import { signInHandler } from './sign-in';
import { signOutHandler } from './sign-out';
import { statusHandler } from './status';
import { verifyCodeHandler } from './verify-code';

export function authHandlers(deps: AuthDeps, firstRun: FirstRunGate): RegisteredHandler[] {
  return [
    statusHandler(firstRun),
    setupHandler(deps, firstRun),
    signInHandler(deps),
    verifyCodeHandler(deps),
    beginEnrollmentHandler(deps),
    confirmEnrollmentHandler(deps),
    signOutHandler(deps),
    changePasswordHandler(deps),
    regenerateRecoveryCodesHandler(deps),
  ];
}
