// The account of a failed run says where each service it changed is, as ECS has it when the run ends:
// never what the run meant to leave behind.
import type { ECSClient } from '@aws-sdk/client-ecs';
import { describeServices } from '../aws/ecs-services';
import type { Ledger } from '../execute/ledger';

/** Reads, in one DescribeServices per 10 services of a cluster, each service a rollout of this run touched. */
export async function readWhereServicesAre(record: Ledger, ecs: ECSClient): Promise<void> {
  const touched = (record.app ? record.app.services.map((s) => s.record) : [record]).filter((r) => r.rollout?.deploymentId);
  const byCluster = new Map<string, Ledger[]>();
  for (const r of touched) byCluster.set(r.cluster, [...(byCluster.get(r.cluster) ?? []), r]);
  for (const [cluster, records] of byCluster) {
    for (let i = 0; i < records.length; i += 10) {
      const batch = records.slice(i, i + 10);
      const { services } = await describeServices(ecs, cluster, batch.map((r) => r.service));
      for (const service of services ?? []) {
        const r = batch.find((b) => b.service === service.serviceName || b.service === service.serviceArn);
        if (!r || !service.taskDefinition) continue;
        const rollingOut = (service.deployments ?? []).length > 1 || service.deployments?.[0]?.rolloutState === 'IN_PROGRESS';
        r.runsNow = { taskDefinition: service.taskDefinition, rollingOut };
      }
    }
  }
  for (const entry of record.app?.services ?? []) {
    const { runsNow, previousTaskDefinitionArn } = entry.record;
    if (entry.outcome === 'rolled back' && runsNow && runsNow.taskDefinition !== previousTaskDefinitionArn) entry.outcome = 'failed';
  }
}
