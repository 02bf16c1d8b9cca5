// The world of examples/app in the simulator: its dev environment (cluster shop-dev, services shop-web-dev
// and shop-worker-dev), its ECR repositories holding the commit's app and nginx images, its roles, SSM
// parameters and log group: what the example's config and templates refer to, so that it deploys as written.
import { PutParameterCommand } from '@aws-sdk/client-ssm';
import { randomBytes } from 'node:crypto';
import { startSimulator, type Simulator } from '../../simulator';
import { ROOT, TEST_CREDENTIALS } from './harness';
import { clientsFor, NETWORK, WORLD_TIMING, type WorldClients } from './world';

export const EXAMPLE_REGION = 'eu-west-1';
export const EXAMPLE_REGISTRY = `123456789012.dkr.ecr.${EXAMPLE_REGION}.amazonaws.com`;
export const EXAMPLE_CONFIG = 'examples/app/ecs-ship.yml';

export interface ExampleAppWorld {
  sim: Simulator;
  aws: WorldClients;
  /** The commit the run deploys (GITHUB_SHA); ECR holds shop/app and shop/nginx tagged with it. */
  commit: string;
  digests: { app: string; nginx: string };
  /** The revision each ECS service runs before the deploy. */
  initial: Record<string, string>;
  /** The repository root: the example's paths are relative to it. */
  cwd: string;
  close(): Promise<void>;
}

const digest = () => `sha256:${randomBytes(32).toString('hex')}`;

export async function givenExampleApp(): Promise<ExampleAppWorld> {
  const sim = await startSimulator({
    region: EXAMPLE_REGION,
    credentials: { [TEST_CREDENTIALS.AWS_ACCESS_KEY_ID]: TEST_CREDENTIALS.AWS_SECRET_ACCESS_KEY },
    timing: WORLD_TIMING,
  });
  const aws = clientsFor(sim);
  const commit = randomBytes(20).toString('hex');
  const digests = { app: digest(), nginx: digest() };
  sim.addImage('shop/app', commit.slice(0, 12), digests.app);
  sim.addImage('shop/nginx', commit.slice(0, 12), digests.nginx);
  sim.addRole('shop-execution');
  sim.addRole('shop-task');
  sim.addLogGroup('/ecs/shop-dev');
  for (const name of ['database-password', 'django-secret-key']) {
    await aws.ssm.send(new PutParameterCommand({ Name: `/shop/dev/${name}`, Value: randomBytes(12).toString('hex'), Type: 'SecureString' }));
  }
  sim.addCluster('shop-dev');
  const initial: Record<string, string> = {};
  for (const [service, family] of [['shop-web-dev', 'shop-web-dev'], ['shop-worker-dev', 'shop-worker-dev']]) {
    initial[service] = sim.addTaskDefinition({
      family,
      requiresCompatibilities: ['FARGATE'],
      networkMode: 'awsvpc',
      cpu: '512',
      memory: '1024',
      containerDefinitions: [{ name: 'web', image: `${EXAMPLE_REGISTRY}/shop/app:old`, essential: true }],
    });
    sim.addService({ cluster: 'shop-dev', name: service, taskDefinition: initial[service], desiredCount: 1, launchType: 'FARGATE', platformVersion: 'LATEST', networkConfiguration: NETWORK, circuitBreaker: { enable: true, rollback: true } });
  }
  return {
    sim,
    aws,
    commit,
    digests,
    initial,
    cwd: ROOT,
    async close() {
      for (const client of Object.values(aws)) client.destroy();
      await sim.close();
    },
  };
}
