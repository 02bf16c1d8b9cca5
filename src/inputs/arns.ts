// cluster and service may be ARNs; an ARN of another region, or a service ARN of another cluster, would
// only fail at the first AWS call (or find nothing, and say "not found"), so it is an input problem.

const CLUSTER_ARN = /^arn:(aws[\w-]*):ecs:([a-z0-9-]+):(\d{12}):cluster\/([A-Za-z0-9_-]+)$/;
/** New format `service/CLUSTER/NAME`; the old `service/NAME` names no cluster. */
const SERVICE_ARN = /^arn:(aws[\w-]*):ecs:([a-z0-9-]+):(\d{12}):service\/(?:([A-Za-z0-9_-]+)\/)?([A-Za-z0-9_-]+)$/;

interface Arn {
  region: string;
  account: string;
  cluster?: string;
}

function parseArn(input: 'cluster' | 'service', text: string): Arn | string | undefined {
  if (!text.startsWith('arn:')) return undefined;
  const match = input === 'cluster' ? CLUSTER_ARN.exec(text) : SERVICE_ARN.exec(text);
  if (!match) {
    const shape = input === 'cluster' ? 'arn:aws:ecs:REGION:ACCOUNT:cluster/NAME' : 'arn:aws:ecs:REGION:ACCOUNT:service/CLUSTER/NAME';
    return `${input}: "${text}" is not an ECS ${input} ARN. Expected ${shape}, or the ${input} name.`;
  }
  return { region: match[2], account: match[3], cluster: match[4] };
}

/** Problems with cluster and service ARNs: of another region than the run's, or (the service) of another cluster. */
export function arnProblems(cluster: string, service: string, region: string, regionSource: string): Array<{ input: 'cluster' | 'service'; problem: string }> {
  const problems: Array<{ input: 'cluster' | 'service'; problem: string }> = [];
  const clusterArn = parseArn('cluster', cluster);
  const serviceArn = parseArn('service', service);
  for (const [input, text, arn] of [['cluster', cluster, clusterArn], ['service', service, serviceArn]] as const) {
    if (typeof arn === 'string') problems.push({ input, problem: arn });
    else if (arn && region && arn.region !== region) problems.push({ input, problem: `${input}: "${text}" is in region ${arn.region}, but the run uses ${region} (from ${regionSource}).` });
  }
  if (typeof serviceArn !== 'object') return problems;
  const clusterName = typeof clusterArn === 'object' ? clusterArn.cluster : cluster;
  if (serviceArn.cluster && clusterName && serviceArn.cluster !== clusterName) {
    problems.push({ input: 'service', problem: `service: "${service}" belongs to cluster "${serviceArn.cluster}", not "${clusterName}".` });
  }
  if (typeof clusterArn === 'object' && clusterArn.account !== serviceArn.account) {
    problems.push({ input: 'service', problem: `service: "${service}" is in account ${serviceArn.account}, but cluster "${cluster}" is in account ${clusterArn.account}.` });
  }
  return problems;
}

/** A task definition's ARN as `family:revision`. */
export function shortArn(arn: string): string {
  return arn.replace(/^arn:aws[\w-]*:ecs:[^:]+:\d+:task-definition\//, '');
}
