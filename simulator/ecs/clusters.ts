import { clusterNotFound, invalidParameter } from '../errors';
import { paginate } from './pagination';
import type { ClusterRecord, SimState } from '../state';

/** Cluster references are a short name or an ARN; absent means the `default` cluster. */
export function clusterNameOf(reference: string | undefined): string {
  if (!reference) return 'default';
  return reference.startsWith('arn:') ? reference.slice(reference.indexOf(':cluster/') + ':cluster/'.length) : reference;
}

export function findCluster(state: SimState, reference: string | undefined): ClusterRecord | undefined {
  const cluster = state.clusters.get(clusterNameOf(reference));
  return cluster?.status === 'ACTIVE' ? cluster : undefined;
}

export function requireCluster(state: SimState, reference: string | undefined): ClusterRecord {
  const cluster = findCluster(state, reference);
  if (!cluster) throw clusterNotFound();
  return cluster;
}

export function createCluster(state: SimState, input: any): ClusterRecord {
  const name: string = input.clusterName ?? 'default';
  if (!/^[a-zA-Z0-9_-]{1,255}$/.test(name)) {
    throw invalidParameter('Cluster name must be 1-255 letters, numbers, hyphens or underscores.');
  }
  const existing = state.clusters.get(name);
  if (existing?.status === 'ACTIVE') return existing;
  const cluster: ClusterRecord = {
    name,
    arn: state.clusterArn(name),
    status: 'ACTIVE',
    capacityProviders: input.capacityProviders ?? [],
    defaultCapacityProviderStrategy: input.defaultCapacityProviderStrategy ?? [],
    settings: input.settings ?? [{ name: 'containerInsights', value: 'disabled' }],
    tags: input.tags ?? [],
  };
  state.clusters.set(name, cluster);
  return cluster;
}

function clusterView(state: SimState, cluster: ClusterRecord, include: string[] = []): any {
  const tasks = state.tasksOfCluster(cluster.name).filter((task) => task.desiredStatus === 'RUNNING');
  const view: any = {
    clusterArn: cluster.arn,
    clusterName: cluster.name,
    status: cluster.status,
    registeredContainerInstancesCount: 0,
    runningTasksCount: tasks.filter((task) => task.lastStatus === 'RUNNING').length,
    pendingTasksCount: tasks.filter((task) => task.lastStatus !== 'RUNNING').length,
    activeServicesCount: state.servicesOfCluster(cluster.name).filter((service) => service.status === 'ACTIVE').length,
    statistics: [],
    tags: [],
    settings: cluster.settings,
    capacityProviders: cluster.capacityProviders,
    defaultCapacityProviderStrategy: cluster.defaultCapacityProviderStrategy,
  };
  if (include.includes('TAGS')) view.tags = cluster.tags;
  return view;
}

export const clusterHandlers = {
  CreateCluster(state: SimState, input: any) {
    return { cluster: clusterView(state, createCluster(state, input)) };
  },

  DescribeClusters(state: SimState, input: any) {
    const references: string[] = input.clusters?.length ? input.clusters : ['default'];
    const clusters: any[] = [];
    const failures: any[] = [];
    for (const reference of references) {
      const cluster = findCluster(state, reference);
      if (cluster) clusters.push(clusterView(state, cluster, input.include));
      else failures.push({ arn: state.clusterArn(clusterNameOf(reference)), reason: 'MISSING' });
    }
    return { clusters, failures };
  },

  ListClusters(state: SimState, input: any) {
    const arns = [...state.clusters.values()].filter((c) => c.status === 'ACTIVE').map((c) => c.arn);
    return paginate(arns, input, 'clusterArns');
  },
};
