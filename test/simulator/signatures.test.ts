import { ECRClient, GetAuthorizationTokenCommand } from '@aws-sdk/client-ecr';
import { ECSClient, ListClustersCommand } from '@aws-sdk/client-ecs';
import { credentials, useSimulator } from './helpers';

// Every request is signed (SigV4) with a key AWS knows, and the signature is that key's for this very
// request; otherwise AWS answers 403 before looking at the operation.

describe('simulator: request signatures', () => {
  const ctx = useSimulator();
  const ecsWith = (keys: { accessKeyId: string; secretAccessKey: string }) => new ECSClient({ endpoint: ctx.sim.url, region: 'us-east-1', credentials: keys, maxAttempts: 1 });

  it('answers an unsigned request 403 MissingAuthenticationTokenException', async () => {
    const response = await fetch(ctx.sim.url, {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-amz-json-1.1', 'X-Amz-Target': 'AmazonEC2ContainerServiceV20141113.ListClusters' },
      body: '{}',
    });
    expect(response.status).toBe(403);
    expect(await response.json()).toMatchObject({ __type: 'MissingAuthenticationTokenException' });
  });

  it('answers 403 UnrecognizedClientException to a key it does not know, and InvalidSignatureException to a wrong secret', async () => {
    const stranger = ecsWith({ accessKeyId: 'AKIASOMEONEELSE00001', secretAccessKey: credentials.secretAccessKey });
    await expect(stranger.send(new ListClustersCommand({}))).rejects.toMatchObject({
      name: 'UnrecognizedClientException',
      message: 'The security token included in the request is invalid.',
      $metadata: { httpStatusCode: 403 },
    });
    const wrongSecret = ecsWith({ accessKeyId: credentials.accessKeyId, secretAccessKey: 'not-the-secret' });
    await expect(wrongSecret.send(new ListClustersCommand({}))).rejects.toMatchObject({ name: 'InvalidSignatureException', $metadata: { httpStatusCode: 403 } });
    const ecr = new ECRClient({ endpoint: ctx.sim.url, region: 'us-east-1', credentials: { ...credentials, secretAccessKey: 'nope' }, maxAttempts: 1 });
    await expect(ecr.send(new GetAuthorizationTokenCommand({}))).rejects.toMatchObject({ name: 'InvalidSignatureException' });
    for (const client of [stranger, wrongSecret, ecr]) client.destroy();
    expect(ctx.sim.calls.map((call) => [call.action, call.error, call.accessKeyId])).toEqual([
      ['ListClusters', 'UnrecognizedClientException', undefined],
      ['ListClusters', 'InvalidSignatureException', undefined],
      ['GetAuthorizationToken', 'InvalidSignatureException', undefined],
    ]);
  });

  it('refuses a request changed after it was signed', async () => {
    const ecs = ecsWith(credentials);
    ecs.middlewareStack.add(
      (next) => async (args: any) => {
        args.request.body = JSON.stringify({ maxResults: 1 });
        args.request.headers['content-length'] = String(args.request.body.length);
        return next(args);
      },
      { step: 'finalizeRequest', name: 'tamperAfterSigning', priority: 'low' },
    );
    await expect(ecs.send(new ListClustersCommand({}))).rejects.toMatchObject({ name: 'InvalidSignatureException' });
    ecs.destroy();
  });

  it('accepts keys added later, and records which key signed each call', async () => {
    const keys = { accessKeyId: 'AKIADEPLOYER00000001', secretAccessKey: 'deployer-secret' };
    const deployer = ecsWith(keys);
    await expect(deployer.send(new ListClustersCommand({}))).rejects.toMatchObject({ name: 'UnrecognizedClientException' });
    ctx.sim.addCredentials(keys.accessKeyId, keys.secretAccessKey);
    await expect(deployer.send(new ListClustersCommand({}))).resolves.toMatchObject({ clusterArns: [] });
    expect(ctx.sim.calls.map((call) => [call.error, call.accessKeyId])).toEqual([
      ['UnrecognizedClientException', undefined],
      [undefined, keys.accessKeyId],
    ]);
    deployer.destroy();
  });
});
