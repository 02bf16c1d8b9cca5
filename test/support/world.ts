import { CloudWatchLogsClient } from '@aws-sdk/client-cloudwatch-logs';
import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { SSMClient } from '@aws-sdk/client-ssm';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { startSimulator, type ServiceSeed, type Simulator, type SimulatorOptions, type Timing } from '../../simulator';
import { TEST_CREDENTIALS, tempDir } from './harness';
import { webTemplate } from './templates';

export { webTemplate } from './templates';

export const CLUSTER = 'prod';
export const SERVICE = 'web';
export const NETWORK = {
  awsvpcConfiguration: { subnets: ['subnet-0a1b2c'], securityGroups: ['sg-0d4e5f'], assignPublicIp: 'DISABLED' },
};

/** The repository of the service's images in the simulator's ECR, and the images it holds (v1, v2, v1-hotfix, release = PUSHED_DIGEST). */
export const REPOSITORY = 'web';
export const REGISTRY = '123456789012.dkr.ecr.us-east-1.amazonaws.com';
export const INITIAL_IMAGE = `${REGISTRY}/${REPOSITORY}:v1`;
export const PUSHED_DIGEST = 'sha256:' + 'ab'.repeat(32);
export const LOG_GROUP = '/ecs/web';
/** A hotfix image someone else deploys in the scenarios where another deployment meets ours. */
export const HOTFIX_IMAGE = `${REGISTRY}/${REPOSITORY}:v1-hotfix`;
/** The ALB target group of the scenarios whose service is behind a load balancer. */
export const TARGET_GROUP = 'arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/web/0123456789abcdef';
export const BEHIND_ALB = { loadBalancers: [{ targetGroupArn: TARGET_GROUP, containerName: 'web', containerPort: 8080 }] };
/** Another principal of the same account (a colleague, another pipeline): its calls are not ecs-ship's. */
export const SOMEONE_ELSE = { accessKeyId: 'AKIASOMEONEELSE00001', secretAccessKey: 'someone-elses-secret-access-key' };

/** Fast, yet every state is visible and a task that crashes soon after starting does so before its deployment completes. */
export const WORLD_TIMING: Timing = {
  provisioningMs: 40,
  pendingMs: 40,
  activatingMs: 20,
  deactivatingMs: 20,
  deprovisioningMs: 40,
  stabilizeMs: 300,
  defaultTaskRunMs: 150,
  secondMs: 1,
  // Blue/green stages pass in moments, as the fast profile has them; the scenarios assert what a poll
  // about once a second can see (the bake times, which they make long enough).
  stageMs: 50,
  tickMs: 20,
};

/** SDK clients signed with the tests' key, to set the world up as a user's client would. */
export interface WorldClients {
  logs: CloudWatchLogsClient;
  ssm: SSMClient;
  secrets: SecretsManagerClient;
}

export interface World {
  sim: Simulator;
  aws: WorldClients;
  /** The revision the service runs before the deploy. */
  initialArn: string;
  dir: string;
  close(): Promise<void>;
  serviceTaskDefinition(): string;
  writeTemplate(definition: object, name?: string): string;
}

export interface WorldOptions extends SimulatorOptions {
  circuitBreaker?: { enable: boolean; rollback: boolean };
  rolloutState?: boolean;
  desiredCount?: number;
  sidecar?: boolean;
  deploymentController?: ServiceSeed['deploymentController'];
  /** The service's deployment configuration beyond the circuit breaker: strategy, bake time, hooks, alarms. */
  deploymentConfiguration?: Record<string, unknown>;
  /** What controls the service's traffic: none unless given. */
  loadBalancers?: ServiceSeed['loadBalancers'];
  serviceConnectConfiguration?: ServiceSeed['serviceConnectConfiguration'];
}

export function clientsFor(sim: Simulator): WorldClients {
  const config = {
    endpoint: sim.url,
    region: sim.region,
    credentials: { accessKeyId: TEST_CREDENTIALS.AWS_ACCESS_KEY_ID, secretAccessKey: TEST_CREDENTIALS.AWS_SECRET_ACCESS_KEY, sessionToken: TEST_CREDENTIALS.AWS_SESSION_TOKEN },
  };
  return { logs: new CloudWatchLogsClient(config), ssm: new SSMClient(config), secrets: new SecretsManagerClient(config) };
}

/**
 * Given a Fargate service "web" in cluster "prod", steady on revision 1 of family "web" (image :v1),
 * with its log group, and the image to deploy (PUSHED_DIGEST) in ECR.
 */
export async function givenService(options: WorldOptions = {}): Promise<World> {
  const sim = await startSimulator({
    credentials: { [TEST_CREDENTIALS.AWS_ACCESS_KEY_ID]: TEST_CREDENTIALS.AWS_SECRET_ACCESS_KEY, [SOMEONE_ELSE.accessKeyId]: SOMEONE_ELSE.secretAccessKey },
    ...options,
    timing: { ...WORLD_TIMING, ...options.timing },
  });
  const aws = clientsFor(sim);
  sim.addLogGroup(LOG_GROUP);
  // The roles webTemplate names, trusting ECS tasks.
  sim.addRole('web-execution');
  sim.addRole('web-task');
  sim.addImage(REPOSITORY, 'v1', 'sha256:' + '01'.repeat(32));
  sim.addImage(REPOSITORY, 'release', PUSHED_DIGEST);
  sim.addImage(REPOSITORY, 'v2', 'sha256:' + '02'.repeat(32));
  sim.addImage(REPOSITORY, 'v1-hotfix', 'sha256:' + '0f'.repeat(32));
  sim.addCluster(CLUSTER);
  const initial = webTemplate({ sidecar: options.sidecar });
  initial.containerDefinitions[0].image = INITIAL_IMAGE;
  initial.containerDefinitions[0].environment = [{ name: 'DB_HOST', value: 'db.internal' }];
  const initialArn = sim.addTaskDefinition(initial);
  sim.addService({
    cluster: CLUSTER,
    name: SERVICE,
    taskDefinition: initialArn,
    desiredCount: options.desiredCount ?? 2,
    launchType: 'FARGATE',
    platformVersion: 'LATEST',
    networkConfiguration: NETWORK,
    circuitBreaker: options.circuitBreaker ?? { enable: true, rollback: true },
    rolloutState: options.rolloutState,
    deploymentController: options.deploymentController,
    deploymentConfiguration: options.deploymentConfiguration,
    loadBalancers: options.loadBalancers,
    serviceConnectConfiguration: options.serviceConnectConfiguration,
  });
  const dir = tempDir();
  let closed: Promise<void> | undefined;
  return {
    sim,
    aws,
    initialArn,
    dir,
    close: () =>
      (closed ??= (async () => {
        for (const client of Object.values(aws)) client.destroy();
        await sim.close();
      })()),
    serviceTaskDefinition: () => sim.service(CLUSTER, SERVICE).taskDefinition,
    writeTemplate(definition, name = 'task-definition.json') {
      const path = join(dir, name);
      writeFileSync(path, typeof definition === 'string' ? definition : JSON.stringify(definition, null, 2));
      return path;
    },
  };
}
