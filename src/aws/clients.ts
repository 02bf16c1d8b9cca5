import { ECSClient } from '@aws-sdk/client-ecs';
import type { ECRClient } from '@aws-sdk/client-ecr';
import type { CloudWatchClient } from '@aws-sdk/client-cloudwatch';
import type { CloudWatchLogsClient } from '@aws-sdk/client-cloudwatch-logs';
import type { IAMClient } from '@aws-sdk/client-iam';
import type { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import type { SSMClient } from '@aws-sdk/client-ssm';
import type { EventBridgeClient } from '@aws-sdk/client-eventbridge';
import type { SchedulerClient } from '@aws-sdk/client-scheduler';
import { NOTE_FAILED_CALLS, noteFailedCalls } from './failed-call';
import { isThrottling, noteThrottle } from './throttle';

/** ECS is needed by every run; the other clients load only when a run uses them. */
export interface AwsClients {
  region: string;
  ecs: ECSClient;
  ecr(): Promise<ECRClient>;
  /** CloudWatch Logs in `logRegion` (a container's awslogs-region), by default the run's region. */
  logs(logRegion?: string): Promise<CloudWatchLogsClient>;
  /** SSM, Secrets Manager and IAM: only the verification of what the task definition refers to. */
  ssm(): Promise<SSMClient>;
  secretsManager(): Promise<SecretsManagerClient>;
  iam(): Promise<IAMClient>;
  /** CloudWatch: only a bake window that watches the service's deployment alarms. */
  cloudWatch(): Promise<CloudWatchClient>;
  /** EventBridge and EventBridge Scheduler: only the scheduled tasks that follow the deployed revision. */
  events(): Promise<EventBridgeClient>;
  scheduler(): Promise<SchedulerClient>;
}

/**
 * Throttling and transient errors must not fail a deploy: the SDK retries them with backoff, 10 attempts
 * unless AWS_MAX_ATTEMPTS (the AWS SDKs' own setting) says otherwise.
 */
function retries(env: NodeJS.ProcessEnv): { maxAttempts?: number } {
  return env.AWS_MAX_ATTEMPTS ? {} : { maxAttempts: 10 };
}

export function createClients(region: string, env: NodeJS.ProcessEnv = process.env): AwsClients {
  const retrying = retries(env);
  let ecr: Promise<ECRClient> | undefined;
  let ssm: Promise<SSMClient> | undefined;
  let secretsManager: Promise<SecretsManagerClient> | undefined;
  let iam: Promise<IAMClient> | undefined;
  let cloudWatch: Promise<CloudWatchClient> | undefined;
  let events: Promise<EventBridgeClient> | undefined;
  let scheduler: Promise<SchedulerClient> | undefined;
  const logs = new Map<string, Promise<CloudWatchLogsClient>>();
  const ecs = new ECSClient({ region, ...retrying });
  ecs.middlewareStack.add(throttleWatch, THROTTLE_WATCH);
  ecs.middlewareStack.add(noteFailedCalls('ECS'), NOTE_FAILED_CALLS);
  // One identity for every client: assumed once (OIDC web identity, SSO), not once per client.
  const shared = { ...retrying, credentials: ecs.config.credentials };
  return {
    region,
    ecs,
    ecr: () =>
      (ecr ??= import('@aws-sdk/client-ecr').then((m) => {
        const created = new m.ECRClient({ region, ...shared });
        created.middlewareStack.add(noteFailedCalls('ECR'), NOTE_FAILED_CALLS);
        return created;
      })),
    logs: (logRegion = region) => {
      const client =
        logs.get(logRegion) ??
        import('@aws-sdk/client-cloudwatch-logs').then((m) => {
          const created = new m.CloudWatchLogsClient({ region: logRegion, ...shared });
          created.middlewareStack.add(throttleWatch, THROTTLE_WATCH);
          created.middlewareStack.add(noteFailedCalls('CloudWatch Logs'), NOTE_FAILED_CALLS);
          return created;
        });
      logs.set(logRegion, client);
      return client;
    },
    ssm: () => (ssm ??= import('@aws-sdk/client-ssm').then((m) => watched(new m.SSMClient({ region, ...shared }), 'SSM'))),
    secretsManager: () =>
      (secretsManager ??= import('@aws-sdk/client-secrets-manager').then((m) => watched(new m.SecretsManagerClient({ region, ...shared }), 'Secrets Manager'))),
    // IAM is global: its one endpoint answers for every region.
    iam: () => (iam ??= import('@aws-sdk/client-iam').then((m) => watched(new m.IAMClient({ region, ...shared }), 'IAM'))),
    cloudWatch: () => (cloudWatch ??= import('@aws-sdk/client-cloudwatch').then((m) => watched(new m.CloudWatchClient({ region, ...shared }), 'CloudWatch'))),
    events: () => (events ??= import('@aws-sdk/client-eventbridge').then((m) => watched(new m.EventBridgeClient({ region, ...shared }), 'EventBridge'))),
    scheduler: () => (scheduler ??= import('@aws-sdk/client-scheduler').then((m) => watched(new m.SchedulerClient({ region, ...shared }), 'EventBridge Scheduler'))),
  };
}

function watched<C extends { middlewareStack: { add(...args: any[]): void } }>(client: C, service: string): C {
  client.middlewareStack.add(throttleWatch, THROTTLE_WATCH);
  client.middlewareStack.add(noteFailedCalls(service), NOTE_FAILED_CALLS);
  return client;
}

/** Counts every throttled attempt, inside the SDK's retries, so that the pollers can slow down. */
const throttleWatch =
  <A, R>(next: (args: A) => Promise<R>) =>
  async (args: A): Promise<R> => {
    try {
      return await next(args);
    } catch (error) {
      if (isThrottling(error)) noteThrottle();
      throw error;
    }
  };

const THROTTLE_WATCH = { step: 'finalizeRequest', priority: 'low', name: 'ecsShipThrottleWatch' } as const;
