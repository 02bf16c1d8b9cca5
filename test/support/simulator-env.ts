import { join } from 'node:path';

/**
 * The environment a bundle runs with under test or benchmark: AWS is the simulator at `endpoint`, and
 * nothing of this machine's AWS setup (profiles, credentials files, instance metadata) leaks in.
 */
export function simulatorEnv(dir: string, endpoint: string, credentials: Record<string, string>): Record<string, string> {
  return {
    PATH: process.env.PATH ?? '',
    HOME: dir,
    AWS_REGION: 'us-east-1',
    AWS_ENDPOINT_URL: endpoint,
    AWS_CONFIG_FILE: join(dir, 'no-aws-config'),
    AWS_SHARED_CREDENTIALS_FILE: join(dir, 'no-aws-credentials'),
    AWS_EC2_METADATA_DISABLED: 'true',
    ...credentials,
  };
}
