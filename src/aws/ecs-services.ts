import {
  DescribeClustersCommand,
  DescribeServicesCommand,
  ListServicesCommand,
  UpdateServiceCommand,
  type DescribeClustersCommandOutput,
  type DescribeServicesCommandOutput,
  type ECSClient,
  type Service,
  type UpdateServiceCommandInput,
} from '@aws-sdk/client-ecs';

// Clusters and services: read them, list a cluster's services, update one.

export function describeCluster(ecs: ECSClient, cluster: string): Promise<DescribeClustersCommandOutput> {
  return ecs.send(new DescribeClustersCommand({ clusters: [cluster] }));
}

/** Up to 10 services, as DescribeServices takes them. */
export function describeServices(ecs: ECSClient, cluster: string, services: string[]): Promise<DescribeServicesCommandOutput> {
  return ecs.send(new DescribeServicesCommand({ cluster, services }));
}

/** Every service of the cluster, described, 10 at a time. */
export async function servicesOfCluster(ecs: ECSClient, cluster: string): Promise<Service[]> {
  const arns: string[] = [];
  let nextToken: string | undefined;
  do {
    const page = await ecs.send(new ListServicesCommand({ cluster, nextToken }));
    arns.push(...(page.serviceArns ?? []));
    nextToken = page.nextToken;
  } while (nextToken);
  const services: Service[] = [];
  for (let i = 0; i < arns.length; i += 10) services.push(...((await describeServices(ecs, cluster, arns.slice(i, i + 10))).services ?? []));
  return services;
}

export async function updateService(ecs: ECSClient, input: UpdateServiceCommandInput): Promise<Service | undefined> {
  return (await ecs.send(new UpdateServiceCommand(input))).service;
}
