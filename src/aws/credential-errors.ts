import { awsSaid } from './failed-call';

// AWS's answers that mean "these credentials are no good", by error name, as the JSON services (ECS, ECR,
// Logs, SSM, Secrets Manager) and the query ones (STS, IAM) spell them.
const REJECTED = new Set([
  'UnrecognizedClientException',
  'InvalidClientTokenId',
  'InvalidSignatureException',
  'SignatureDoesNotMatch',
  'IncompleteSignature',
  'IncompleteSignatureException',
  'MissingAuthenticationToken',
  'MissingAuthenticationTokenException',
  'InvalidIdentityToken',
  'InvalidIdentityTokenException',
  'AuthFailure',
]);
const EXPIRED = new Set(['ExpiredToken', 'ExpiredTokenException', 'TokenRefreshRequired']);
const SIGNATURE = new Set(['InvalidSignatureException', 'SignatureDoesNotMatch']);

/**
 * Credentials AWS refused (unknown key, wrong secret, an expired session), said as what they are and what
 * to do; undefined for any other error. The caller knows whether anything was changed before.
 */
export function credentialRefusal(error: unknown): string | undefined {
  const name = (error as { name?: string })?.name ?? '';
  if (EXPIRED.has(name)) {
    return (
      `The AWS credentials have expired (${awsSaid(error)}). Get fresh ones and run again: a new session ` +
      '(aws sso login, a new assume-role), or, in CI, the step that provides them (configure-aws-credentials, OIDC) run again.'
    );
  }
  if (!REJECTED.has(name)) return undefined;
  const why = SIGNATURE.has(name)
    ? 'the secret access key does not match the access key id (or this machine\'s clock is far off)'
    : 'AWS does not know the access key or session token';
  return (
    `AWS rejected the credentials: ${why} (${awsSaid(error)}). Check AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY and ` +
    'AWS_SESSION_TOKEN, or the profile, SSO session or role that provides them.'
  );
}
