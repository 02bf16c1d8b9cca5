// The step's outputs, by the names in the schema, from the run's record.
import { OUTPUTS } from '../inputs/schema';
import type { AppLedger, Ledger } from '../execute/ledger';
import type { PlannedChange } from '../plan/planned-change';

/** The rules and schedules that run the registered revision because this run moved them, comma-separated. */
function scheduledTaskNames({ scheduledTasks }: Ledger): string | undefined {
  const names = [...new Set((scheduledTasks ?? []).filter((task) => !task.restored).map((task) => task.name))];
  return names.length > 0 ? names.join(',') : undefined;
}

/** The step outputs, by the names in the schema; empty where the run never got there. */
export function outputsOf(record: Ledger): Record<string, string> {
  // The single-service outputs of a whole app are those of its first service.
  if (record.app) return { ...outputsOf(record.app.services[0].record), services: servicesOutput(record.app), 'planned-changes': plannedChanges(record.app) };
  const values: Record<string, string | number | undefined> = {
    image: record.image,
    'image-digest': record.imageDigest,
    'task-definition-arn': record.taskDefinitionArn,
    'previous-task-definition-arn': record.previousTaskDefinitionArn,
    'migration-task-arn': record.migration?.taskArn,
    'migration-exit-code': record.migration?.exitCode,
    'deployment-id': record.rollout?.deploymentId,
    'service-deployment-arn': record.rollout?.serviceDeploymentArn,
    'lifecycle-stage': record.rollout?.lifecycleStage,
    'hook-id': record.rollout?.hookId,
    'scheduled-tasks': scheduledTaskNames(record),
    'planned-changes': record.planned && JSON.stringify(record.planned),
    'task-arns': record.task && (record.task.taskArns ?? (record.task.taskArn ? [record.task.taskArn] : [])).join(','),
    'exit-code': record.task?.exitCode,
    images: record.builtImages && JSON.stringify(Object.fromEntries(record.builtImages.map(({ name, ...image }) => [name, image]))),
  };
  return Object.fromEntries(OUTPUTS.map((o) => [o.name, values[o.name] === undefined ? '' : String(values[o.name])]));
}

/** A whole app's dry run: every service's changes, in the order a real run makes them (registrations first). */
function plannedChanges(app: AppLedger): string {
  const planned = app.services.flatMap((s) => s.record.planned ?? []);
  if (planned.length === 0 && !app.services.some((s) => s.record.planned)) return '';
  const order: Array<PlannedChange['action']> = ['RegisterTaskDefinition', 'RunTask', 'UpdateService', 'PutTargets', 'UpdateSchedule', 'DeregisterTaskDefinition', 'BatchDeleteImage'];
  return JSON.stringify([...planned].sort((a, b) => order.indexOf(a.action) - order.indexOf(b.action)));
}

/** The `services` output: each service of the app, by its name in the config file. */
export function servicesOutput(app: AppLedger): string {
  const entries = app.services.map(({ name, record, outcome }) => [
    name,
    {
      service: record.service,
      'task-definition-arn': record.taskDefinitionArn ?? '',
      'previous-task-definition-arn': record.previousTaskDefinitionArn ?? '',
      image: record.image ?? '',
      'deployment-id': record.rollout?.deploymentId ?? '',
      'service-deployment-arn': record.rollout?.serviceDeploymentArn ?? '',
      'lifecycle-stage': record.rollout?.lifecycleStage ?? '',
      'hook-id': record.rollout?.hookId ?? '',
      outcome,
    },
  ]);
  return JSON.stringify(Object.fromEntries(entries));
}
