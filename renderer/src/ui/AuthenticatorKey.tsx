import type { Enrollment } from '../../../shared/contract';

function groupKey(secret: string): string {
  return secret.replace(/(.{4})/g, '$1 ').trim();
}

/** The QR code and, beside it, the same key in groups of four for typing by hand. */
export function AuthenticatorKey({ enrollment, alt, testId }: { enrollment: Enrollment; alt: string; testId: string }) {
  return (
    <div className="enroll">
      <img className="qr" alt={alt} src={`data:image/svg+xml;charset=utf-8,${encodeURIComponent(enrollment.qrSvg)}`} />
      <div>
        <p className="label">Key</p>
        <code className="totp-key" data-testid={testId} data-secret={enrollment.secret}>
          {groupKey(enrollment.secret)}
        </code>
      </div>
    </div>
  );
}
