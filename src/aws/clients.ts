import { ECSClient } from '@aws-sdk/client-ecs';
import type { ECRClient } from '@aws-sdk/client-ecr';
import type { CloudWatchLogsClient } from '@aws-sdk/client-cloudwatch-logs';
import { NOTE_FAILED_CALLS, noteFailedCalls } from './failed-call';
import { isThrottling, noteThrottle } from './throttle';

/** ECS is needed by every run; ECR and CloudWatch Logs load only when a run uses them. */
export interface AwsClients {
  region: string;
  ecs: ECSClient;
  ecr(): Promise<ECRClient>;
  /** CloudWatch Logs in `logRegion` (a container's awslogs-region), by default the run's region. */
  logs(logRegion?: string): Promise<CloudWatchLogsClient>;
}

// Throttling and transient errors must not fail a deploy: the SDK retries them with backoff.
const RETRIES = { maxAttempts: 10 };

export function createClients(region: string): AwsClients {
  let ecr: Promise<ECRClient> | undefined;
  const logs = new Map<string, Promise<CloudWatchLogsClient>>();
  const ecs = new ECSClient({ region, ...RETRIES });
  ecs.middlewareStack.add(throttleWatch, THROTTLE_WATCH);
  ecs.middlewareStack.add(noteFailedCalls('ECS'), NOTE_FAILED_CALLS);
  return {
    region,
    ecs,
    ecr: () =>
      (ecr ??= import('@aws-sdk/client-ecr').then((m) => {
        const created = new m.ECRClient({ region, ...RETRIES });
        created.middlewareStack.add(noteFailedCalls('ECR'), NOTE_FAILED_CALLS);
        return created;
      })),
    logs: (logRegion = region) => {
      const client =
        logs.get(logRegion) ??
        import('@aws-sdk/client-cloudwatch-logs').then((m) => {
          const created = new m.CloudWatchLogsClient({ region: logRegion, ...RETRIES });
          created.middlewareStack.add(throttleWatch, THROTTLE_WATCH);
          created.middlewareStack.add(noteFailedCalls('CloudWatch Logs'), NOTE_FAILED_CALLS);
          return created;
        });
      logs.set(logRegion, client);
      return client;
    },
  };
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
