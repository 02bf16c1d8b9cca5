import { CloudWatchClient } from '@aws-sdk/client-cloudwatch';
import { CloudWatchLogsClient } from '@aws-sdk/client-cloudwatch-logs';
import { ECRClient } from '@aws-sdk/client-ecr';
import { ECSClient, type RegisterTaskDefinitionCommandInput } from '@aws-sdk/client-ecs';
import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { SSMClient } from '@aws-sdk/client-ssm';
import { SIMULATOR_CREDENTIALS, startSimulator, type Simulator, type SimulatorOptions } from '../../simulator';

/** The simulator's default key: what it accepts when a test gives it none. */
export const credentials = SIMULATOR_CREDENTIALS;

export function clientsFor(sim: Simulator, maxAttempts?: number) {
  const config = { endpoint: sim.url, region: 'us-east-1', credentials, ...(maxAttempts ? { maxAttempts } : {}) };
  return {
    ecs: new ECSClient(config),
    ecr: new ECRClient(config),
    logs: new CloudWatchLogsClient(config),
    ssm: new SSMClient(config),
    secrets: new SecretsManagerClient(config),
    cloudwatch: new CloudWatchClient(config),
  };
}

type Clients = ReturnType<typeof clientsFor>;

/** A simulator for one test file, with fast timings unless overridden. */
export function useSimulator(options: SimulatorOptions = {}) {
  const context = {} as { sim: Simulator } & Clients;
  beforeEach(async () => {
    context.sim = await startSimulator(options);
    Object.assign(context, clientsFor(context.sim));
  });
  afterEach(async () => {
    for (const client of [context.ecs, context.ecr, context.logs, context.ssm, context.secrets, context.cloudwatch]) client.destroy();
    await context.sim.close();
  });
  return context;
}

export async function waitFor<T>(read: () => Promise<T> | T, done: (value: T) => boolean, timeoutMs = 5000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (done(value)) return value;
    if (Date.now() > deadline) throw new Error(`condition not met within ${timeoutMs}ms; last value: ${JSON.stringify(value, null, 2)}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

export const fargateTaskDefinition = (
  family: string,
  overrides: Partial<RegisterTaskDefinitionCommandInput> = {},
): RegisterTaskDefinitionCommandInput => ({
  family,
  requiresCompatibilities: ['FARGATE'],
  networkMode: 'awsvpc',
  cpu: '256',
  memory: '512',
  containerDefinitions: [
    {
      name: 'app',
      image: 'example/app:1',
      essential: true,
      logConfiguration: {
        logDriver: 'awslogs',
        options: { 'awslogs-group': `/ecs/${family}`, 'awslogs-region': 'us-east-1', 'awslogs-stream-prefix': 'ecs' },
      },
    },
  ],
  ...overrides,
});

export const awsvpcNetwork = {
  awsvpcConfiguration: { subnets: ['subnet-12345678'], securityGroups: ['sg-12345678'], assignPublicIp: 'DISABLED' as const },
};
