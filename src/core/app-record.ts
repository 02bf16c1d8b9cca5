import type { RunRecord } from './record';

/** What became of one service of the app in this run. */
export type ServiceOutcome = 'planned' | 'deployed' | 'unchanged' | 'failed' | 'rolled back' | 'not started' | 'running';

/** A whole app's run: one RunRecord per service, the images, and the phases as they ran (for the timeline). */
export interface AppRecord {
  file: string;
  environment?: string;
  services: Array<{ name: string; record: RunRecord; outcome: ServiceOutcome; why?: string }>;
  images: Array<{ name: string; reference?: string; digest?: string; built?: boolean }>;
  phases: Array<{ title: string; startedAt: number; endedAt?: number; failed?: boolean }>;
}

/** The `services` output: each service of the app, by its name in the config file. */
export function servicesOutput(app: AppRecord): string {
  const entries = app.services.map(({ name, record, outcome }) => [
    name,
    {
      service: record.service,
      'task-definition-arn': record.taskDefinitionArn ?? '',
      'previous-task-definition-arn': record.previousTaskDefinitionArn ?? '',
      image: record.image ?? '',
      'deployment-id': record.rollout?.deploymentId ?? '',
      'service-deployment-arn': record.rollout?.serviceDeploymentArn ?? '',
      outcome,
    },
  ]);
  return JSON.stringify(Object.fromEntries(entries));
}
