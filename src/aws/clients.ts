import { ECSClient } from '@aws-sdk/client-ecs';
import type { ECRClient } from '@aws-sdk/client-ecr';
import type { CloudWatchLogsClient } from '@aws-sdk/client-cloudwatch-logs';

/** ECS is needed by every run; ECR and CloudWatch Logs load only when a run uses them. */
export interface AwsClients {
  region: string;
  ecs: ECSClient;
  ecr(): Promise<ECRClient>;
  logs(): Promise<CloudWatchLogsClient>;
}

// Throttling and transient errors must not fail a deploy: the SDK retries them with backoff.
const RETRIES = { maxAttempts: 10 };

export function createClients(region: string): AwsClients {
  let ecr: Promise<ECRClient> | undefined;
  let logs: Promise<CloudWatchLogsClient> | undefined;
  return {
    region,
    ecs: new ECSClient({ region, ...RETRIES }),
    ecr: () => (ecr ??= import('@aws-sdk/client-ecr').then((m) => new m.ECRClient({ region, ...RETRIES }))),
    logs: () => (logs ??= import('@aws-sdk/client-cloudwatch-logs').then((m) => new m.CloudWatchLogsClient({ region, ...RETRIES }))),
  };
}
