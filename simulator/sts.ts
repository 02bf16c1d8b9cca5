import { randomBytes } from 'node:crypto';

/** STS AssumeRoleWithWebIdentity (AWS query protocol, XML answer): how OIDC credentials reach the SDK. */
export function assumeRoleWithWebIdentity(params: URLSearchParams, now: number, issue: (accessKeyId: string, secret: string) => void): { status: number; xml: string } {
  const roleArn = params.get('RoleArn') ?? '';
  const session = params.get('RoleSessionName') ?? '';
  if (!/^arn:aws[\w-]*:iam::\d{12}:role\/.+/.test(roleArn) || !params.get('WebIdentityToken')) {
    return { status: 400, xml: errorXml('ValidationError', 'RoleArn and WebIdentityToken are required.') };
  }
  const [, account, role] = /^arn:aws[\w-]*:iam::(\d{12}):role\/(.+)$/.exec(roleArn)!;
  const expiration = new Date(now + 3600_000).toISOString();
  const accessKeyId = `ASIA${randomBytes(8).toString('hex').toUpperCase()}`;
  const secret = randomBytes(20).toString('base64');
  issue(accessKeyId, secret);
  const xml = `<AssumeRoleWithWebIdentityResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/">
  <AssumeRoleWithWebIdentityResult>
    <Credentials>
      <AccessKeyId>${accessKeyId}</AccessKeyId>
      <SecretAccessKey>${secret}</SecretAccessKey>
      <SessionToken>${randomBytes(32).toString('base64')}</SessionToken>
      <Expiration>${expiration}</Expiration>
    </Credentials>
    <AssumedRoleUser>
      <AssumedRoleId>AROA${randomBytes(8).toString('hex').toUpperCase()}:${session}</AssumedRoleId>
      <Arn>arn:aws:sts::${account}:assumed-role/${role}/${session}</Arn>
    </AssumedRoleUser>
    <SubjectFromWebIdentityToken>ecs-ship-simulator</SubjectFromWebIdentityToken>
  </AssumeRoleWithWebIdentityResult>
  <ResponseMetadata><RequestId>${randomBytes(16).toString('hex')}</RequestId></ResponseMetadata>
</AssumeRoleWithWebIdentityResponse>`;
  return { status: 200, xml };
}

export function errorXml(code: string, message: string): string {
  return `<ErrorResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/"><Error><Type>Sender</Type><Code>${code}</Code><Message>${message}</Message></Error><RequestId>${randomBytes(16).toString('hex')}</RequestId></ErrorResponse>`;
}
