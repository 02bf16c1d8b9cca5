// Credentials AWS refuses and a region that does not exist are usage problems: exit 2, the reason, and
// "nothing was changed", before any change (the region before any call at all), not "deploy failed".
import { expectNoSecretsIn, runCli, TEST_CREDENTIALS } from '../support/harness';
import { deploy, failureMessage } from '../support/scenarios';
import { CLUSTER, SERVICE, givenService, type World } from '../support/world';

let world: World;
afterEach(async () => world?.close());

describe('credentials AWS refuses', () => {
  test('an access key AWS does not know: exit 2, "AWS rejected the credentials", nothing was changed', async () => {
    world = await givenService();
    const unknown = { AWS_ACCESS_KEY_ID: 'AKIANOTKNOWNTOAWS001', AWS_SECRET_ACCESS_KEY: 'a-secret-of-a-key-aws-never-issued-0000', AWS_SESSION_TOKEN: '' };
    const run = await deploy(world, {}, { env: unknown });

    expect(run.code).toBe(2);
    expect(failureMessage(run)).toMatch(/^AWS rejected the credentials: AWS does not know the access key or session token \(ECS answered \w+ with UnrecognizedClientException: The security token included in the request is invalid\)\. Check AWS_ACCESS_KEY_ID, .* Nothing was changed\.$/);
    expect(world.sim.mutatingCalls()).toEqual([]);
    expect(run.log).not.toMatch(/Preflight failed|deploy failed/i);
    expectNoSecretsIn(run, [unknown.AWS_SECRET_ACCESS_KEY]);
  }, 60_000);

  test('a secret that does not match the key: exit 2, the signature reason, nothing was changed', async () => {
    world = await givenService();
    const run = await deploy(world, {}, { env: { AWS_SECRET_ACCESS_KEY: 'not-the-secret-of-this-key-000000000000' } });

    expect(run.code).toBe(2);
    expect(failureMessage(run)).toMatch(/^AWS rejected the credentials: the secret access key does not match the access key id .*InvalidSignatureException.* Nothing was changed\.$/);
    expect(world.sim.mutatingCalls()).toEqual([]);
    expectNoSecretsIn(run, ['not-the-secret-of-this-key-000000000000']);
  }, 60_000);

  test('an expired session: exit 2, "have expired" and what to do, nothing was changed', async () => {
    world = await givenService();
    world.sim.expireCredentials(TEST_CREDENTIALS.AWS_ACCESS_KEY_ID);
    const run = await deploy(world);

    expect(run.code).toBe(2);
    expect(failureMessage(run)).toMatch(/^The AWS credentials have expired \(ECS answered \w+ with ExpiredTokenException: The security token included in the request is expired\)\. Get fresh ones and run again: .* Nothing was changed\.$/);
    expect(world.sim.mutatingCalls()).toEqual([]);
  }, 60_000);
});

describe('a region that does not exist', () => {
  test('--aws-region eu-wset-1: exit 2 at once, naming the input and what was expected, with no AWS call', async () => {
    world = await givenService();
    const started = Date.now();
    const run = await runCli(['deploy', '--cluster', CLUSTER, '--service', SERVICE, '--image', 'web:1', '--no-build', '--aws-region', 'eu-wset-1'], { endpoint: world.sim.url });

    expect(run.code).toBe(2);
    expect(run.stderr).toContain('--aws-region: "eu-wset-1" is not an AWS region: the regions the AWS SDK lists do not include it. Expected a region such as eu-west-1');
    expect(world.sim.calls).toEqual([]);
    expect(Date.now() - started).toBeLessThan(5_000);
  }, 30_000);

  test('AWS_REGION=eu-wset-1 on GitHub: the variable named, exit 2, no AWS call', async () => {
    world = await givenService();
    const run = await deploy(world, {}, { env: { AWS_REGION: 'eu-wset-1' } });

    expect(run.code).toBe(2);
    expect(failureMessage(run)).toContain('aws-region: not set, and AWS_REGION is "eu-wset-1", which is not an AWS region');
    expect(world.sim.calls).toEqual([]);
  }, 30_000);
});
