import type { ECSClient } from '@aws-sdk/client-ecs';
import type { Inputs } from '../inputs/parse';
import { inputName } from '../inputs/spelling';
import { diffTaskDefinitions } from '../taskdef/normalise';
import type { ParsedInputs } from '../request/parsed-inputs';
import type { Definition, NamedContainer } from '../taskdef/types';
import type { Target } from './preflight';
import { equalLatestRevision } from './latest-revision';
import type { Reporter } from '../shared/reporter';
import type { PlannedChange } from './planned-change';
import { redactSecretFields, secretFieldPaths } from './secret-fields';
import { describeScheduledTask, taskDefinitionOf, type ScheduledTask } from './scheduled-task-names';
import { verificationTable, type VerifiedRow } from './verify';

interface DryRun {
  ecs: ECSClient;
  reporter: Reporter;
  inputs: Inputs;
  target: Target;
  /** The definition the service runs now. */
  running: Definition;
  definition: Definition;
  /** Undefined when there is no migration. */
  container?: NamedContainer;
  plan: ParsedInputs;
  /** What preflight verified; undefined when verify is off. */
  verified?: VerifiedRow[];
  /** task-definition-arn: the existing revision deployed as it is. */
  known?: string;
  /** What scheduled-tasks found; undefined when it is off. */
  scheduledTasks?: ScheduledTask[];
}

/**
 * The diff against the running task definition and what a real run would do; only read calls. Resolves
 * to the existing revision a real run would deploy (undefined when it would register a new one) and the
 * changes it would make, in order.
 */
export async function showPlan({ ecs, reporter, inputs, target, running, definition, container, plan, verified, known, scheduledTasks }: DryRun): Promise<{ reuse?: string; changes: PlannedChange[] }> {
  reporter.info(verified ? verificationTable(verified) : `Not verified (${inputName('verify')}: false): what the task definition refers to was not looked up.`);
  const paths = plan.template ? secretFieldPaths(plan.template, plan.secretVars.map((v) => v.name)) : [];
  const shown = redactSecretFields(running, definition, paths);
  for (const value of shown.runningValues) reporter.secret(value);
  const diff = diffTaskDefinitions(shown.running, shown.rendered);
  const what = known ? `${known} (+)` : 'rendered (+)';
  reporter.info(diff ? `Task definition, running (-) against ${what}:\n${diff}` : `The ${known ? 'given' : 'rendered'} task definition equals the running one.`);
  const reuse = known ?? (await equalLatestRevision(ecs, definition));
  // As a real run decides: a revision the service runs already is neither migrated nor deployed again, unless forced.
  const updates = reuse !== target.service.taskDefinition || inputs.forceNewDeployment || inputs.redeploy;
  const steps = [
    ...(known
      ? [`deploy the existing revision ${known} as it is (no build, no render, no registration)`]
      : [
          inputs.build ? `build and push ${inputs.image} tagged ${inputs.tag || 'with the commit'} (skipped when that tag is already in the registry)` : `deploy ${inputs.image} as is`,
          reuse ? `reuse ${reuse} (unchanged)` : `register a new revision of family "${definition.family}"`,
        ]),
    migrationStep(container, plan, !updates),
    !updates
      ? 'leave the service as it is (it already runs this revision)'
      : `update service ${target.service.serviceName}${inputs.wait ? ` and wait up to ${inputs.waitTimeoutMinutes} minutes for the deployment` : ''}`,
    ...(scheduledTasks ? [scheduledTasksStep(scheduledTasks, reuse)] : []),
  ];
  reporter.info(`A real run would:\n${steps.map((s, i) => `  ${i + 1}. ${s}`).join('\n')}`);
  const service = target.service.serviceName;
  const changes: PlannedChange[] = [
    ...(reuse ? [] : [{ service, action: 'RegisterTaskDefinition' as const, target: `family ${definition.family}` }]),
    ...(container && updates ? [{ service, action: 'RunTask' as const, target: `the migration in container ${container.name}` }] : []),
    ...(updates ? [{ service, action: 'UpdateService' as const, target: service }] : []),
    ...(scheduledTasks ? scheduledTaskChanges(scheduledTasks, reuse, service) : []),
  ];
  return { reuse, changes };
}

/** As a real run decides: a re-run of the revision the service runs skips the migration (it ran when that revision was deployed). */
function migrationStep(container: NamedContainer | undefined, plan: ParsedInputs, rerun: boolean): string {
  if (!container) return 'run no migration';
  if (rerun) return `skip the migration (the service already runs this revision; ${inputName('force-new-deployment')} would run it)`;
  return `run the migration ${JSON.stringify(plan.migrationCommand)} in container "${container.name}" and stop if it fails`;
}

/** One PutTargets per rule, one UpdateSchedule per schedule, for those that would move. */
function scheduledTaskChanges(found: ScheduledTask[], reuse: string | undefined, service: string): PlannedChange[] {
  const moving = found.filter((task) => taskDefinitionOf(task.taskDefinitionArn).revision !== undefined && task.taskDefinitionArn !== reuse);
  const rules = [...new Set(moving.filter((task) => task.kind === 'rule').map((task) => task.name))];
  return [
    ...rules.map((rule) => ({ service, action: 'PutTargets' as const, target: `rule ${rule}` })),
    ...moving.filter((task) => task.kind === 'schedule').map((task) => ({ service, action: 'UpdateSchedule' as const, target: `schedule ${task.name}` })),
  ];
}

function scheduledTasksStep(found: ScheduledTask[], reuse: string | undefined): string {
  const revision = reuse ?? 'the new revision';
  const moving = found.filter((task) => taskDefinitionOf(task.taskDefinitionArn).revision !== undefined && task.taskDefinitionArn !== reuse);
  if (moving.length === 0) return `move no scheduled task (${found.length === 0 ? 'none runs the family on the cluster' : `they already run ${revision} or the latest revision`})`;
  return `once the rollout succeeded, point ${moving.map((task) => `${describeScheduledTask(task)} (now ${task.taskDefinitionArn})`).join(', ')} at ${revision}`;
}
