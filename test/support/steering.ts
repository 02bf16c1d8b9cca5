// Blue/green services that pause, and reads of ECS's record of their deployments, for the scenarios that
// steer a deployment (wait-until, continue, rollback, status).
import { DescribeServiceDeploymentsCommand, ECSClient, ListServiceDeploymentsCommand, type ServiceDeployment } from '@aws-sdk/client-ecs';
import { runAction, TEST_CREDENTIALS, type RunOptions } from './harness';
import { CLUSTER, SERVICE, type World } from './world';

/** A blue/green deployment that pauses once the test traffic is on the new revision (a PAUSE hook at POST_TEST_TRAFFIC_SHIFT). */
export const PAUSED_AFTER_TEST_TRAFFIC = {
  strategy: 'BLUE_GREEN',
  bakeTimeInMinutes: 1,
  lifecycleHooks: [{ targetType: 'PAUSE', lifecycleStages: ['POST_TEST_TRAFFIC_SHIFT'], timeoutConfiguration: { timeoutInMinutes: 60, action: 'ROLLBACK' } }],
};

export const REVISION = (n: number, family = 'web') => `arn:aws:ecs:us-east-1:123456789012:task-definition/${family}:${n}`;

export function ecsClient(world: World): ECSClient {
  return new ECSClient({
    endpoint: world.sim.url,
    region: world.sim.region,
    credentials: { accessKeyId: TEST_CREDENTIALS.AWS_ACCESS_KEY_ID, secretAccessKey: TEST_CREDENTIALS.AWS_SECRET_ACCESS_KEY, sessionToken: TEST_CREDENTIALS.AWS_SESSION_TOKEN },
  });
}

/** ECS's record of a service deployment, as DescribeServiceDeployments has it now. */
export async function recordOf(world: World, arn: string): Promise<ServiceDeployment> {
  const ecs = ecsClient(world);
  try {
    return (await ecs.send(new DescribeServiceDeploymentsCommand({ serviceDeploymentArns: [arn] }))).serviceDeployments![0];
  } finally {
    ecs.destroy();
  }
}

/** The newest service deployment of a service (ListServiceDeployments, newest first) and its record. */
export async function newestRecord(world: World, service = SERVICE): Promise<ServiceDeployment> {
  const ecs = ecsClient(world);
  try {
    const listed = await ecs.send(new ListServiceDeploymentsCommand({ cluster: CLUSTER, service }));
    return recordOf(world, listed.serviceDeployments![0].serviceDeploymentArn!);
  } finally {
    ecs.destroy();
  }
}

/** Resolves once the newest deployment of the service is paused at a PAUSE hook (bounded). */
export async function untilPaused(world: World, service = SERVICE, limitMs = 15_000): Promise<ServiceDeployment> {
  const until = Date.now() + limitMs;
  for (;;) {
    const record = await newestRecord(world, service);
    if (record.lifecycleHookDetails?.some((hook) => hook.status === 'AWAITING_ACTION')) return record;
    if (Date.now() > until) throw new Error(`service ${service} did not pause within ${limitMs} ms (status ${record.status}, stage ${record.lifecycleStage})`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

/** An onSpawn that runs `act` once the bundle's log matches `pattern`. */
export function whenLogShows(pattern: RegExp, act: (log: string) => void | Promise<void>): RunOptions['onSpawn'] {
  return (_pid, output) => {
    const timer = setInterval(() => {
      if (!pattern.test(output())) return;
      clearInterval(timer);
      void act(output());
    }, 20);
    timer.unref();
  };
}

/** Runs one of the steering commands as its GitHub sub-action runs it (INPUT_COMMAND set by the sub-action). */
export function steerAction(world: World, command: 'continue' | 'rollback' | 'status', extra: Record<string, string> = {}, options: Partial<RunOptions> = {}) {
  return runAction({ command, cluster: CLUSTER, service: SERVICE, ...extra }, { endpoint: world.sim.url, ...options });
}

/** The Lambda a lifecycle hook of the scenarios calls, and the role ECS calls it with. */
export const SMOKE_TEST = 'arn:aws:lambda:us-east-1:123456789012:function:smoke-test';
export const HOOK_ROLE = 'arn:aws:iam::123456789012:role/ecs-hooks';
