import type { Target } from '@aws-sdk/client-eventbridge';
import type { AwsClients } from '../aws/clients';
import { awsSaid } from '../aws/failed-call';
import { isTransient } from '../aws/transient';
import { readSchedule, ruleNamesTargeting, schedulesTargeting, targetsOfRule, type Schedule } from '../aws/scheduled-targets';
import { InputError } from '../shared/errors';
import type { Reporter } from '../shared/reporter';
import { describeScheduledTask, SCHEDULED_TASKS, taskDefinitionOf, type NamedScheduledTask, type ScheduledTask, type ScheduledTaskSelection } from './scheduled-task-names';
import { isAccessDenied } from './verify';

export { readScheduledTasksInput, scheduledTaskDefinitionArns, type ScheduledTask, type ScheduledTaskSelection } from './scheduled-task-names';

// EventBridge rules and Scheduler schedules whose ECS target runs the deployed family on the deployed
// cluster, found in Preflight (execute/scheduled-tasks.ts points them at the new revision).

export interface ScheduledTasksDeps {
  aws: AwsClients;
  reporter: Reporter;
}

interface Where {
  family: string;
  clusterArn: string;
}

const DEFAULT_GROUP = 'default';
const isNotFound = (error: unknown) => (error as { name?: string })?.name === 'ResourceNotFoundException';

function ours(clusterArn: string | undefined, taskDefinitionArn: string | undefined, where: Where): taskDefinitionArn is string {
  return clusterArn === where.clusterArn && taskDefinitionArn !== undefined && taskDefinitionOf(taskDefinitionArn).family === where.family;
}

const ruleTasks = (rule: string, targets: Target[], where: Where): ScheduledTask[] =>
  targets
    .filter((target) => ours(target.Arn, target.EcsParameters?.TaskDefinitionArn, where))
    .map((target) => ({ kind: 'rule', name: rule, targetId: target.Id, taskDefinitionArn: target.EcsParameters!.TaskDefinitionArn! }));

const scheduleTask = (schedule: Schedule, where: Where): ScheduledTask[] =>
  ours(schedule.Target?.Arn, schedule.Target?.EcsParameters?.TaskDefinitionArn, where)
    ? [{ kind: 'schedule', name: `${schedule.GroupName ?? DEFAULT_GROUP}/${schedule.Name}`, taskDefinitionArn: schedule.Target!.EcsParameters!.TaskDefinitionArn! }]
    : [];

/**
 * A denied permission, or a lookup AWS did not answer, costs the scheduled tasks it would have found, with a
 * warning; never the deploy.
 */
async function unlessDenied<T>(work: () => Promise<T>, denied: T, permission: string, reporter: Reporter): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if (isAccessDenied(error)) {
      reporter.warn(
        `${SCHEDULED_TASKS()}: the role may not perform ${permission}, so the scheduled tasks it would find are not looked for and will not follow this deploy. Grant ${permission} (the optional statement FollowScheduledTasks of the IAM policy).`,
      );
    } else if (isTransient(error)) {
      reporter.warn(`${SCHEDULED_TASKS()}: the lookup ${permission} was not answered (${awsSaid(error)}), so the scheduled tasks it would find will not follow this deploy.`);
    } else {
      throw error;
    }
    return denied;
  }
}

/**
 * Preflight: the scheduled tasks that run `family` on the cluster. Named ones that do not exist, or do
 * not run the family there, are input errors (before any change).
 */
export async function findScheduledTasks(selection: ScheduledTaskSelection, family: string, clusterArn: string, deps: ScheduledTasksDeps): Promise<ScheduledTask[]> {
  const where = { family, clusterArn };
  const found = selection.all ? await findAll(where, deps, (work, denied, permission) => unlessDenied(work, denied, permission, deps.reporter)) : await findNamed(selection.names, where, deps);
  for (const task of found) {
    const line = `${describeScheduledTask(task)} runs ${task.taskDefinitionArn}`;
    deps.reporter.info(taskDefinitionOf(task.taskDefinitionArn).revision === undefined ? `${line} (no revision: it runs the latest ACTIVE one, and is left as it is)` : line);
  }
  if (found.length === 0) deps.reporter.info(`${SCHEDULED_TASKS()}: no EventBridge rule or Scheduler schedule runs family "${family}" on ${clusterArn}.`);
  return found;
}

type Guard = <T>(work: () => Promise<T>, denied: T, permission: string) => Promise<T>;

async function findAll(where: Where, { aws }: ScheduledTasksDeps, guard: Guard): Promise<ScheduledTask[]> {
  const events = await aws.events();
  const scheduler = await aws.scheduler();
  const rules = await guard(() => ruleNamesTargeting(events, where.clusterArn), [], 'events:ListRuleNamesByTarget');
  const fromRules = await guard(
    async () => (await Promise.all(rules.map(async (rule) => ruleTasks(rule, await targetsOfRule(events, rule), where)))).flat(),
    [],
    'events:ListTargetsByRule',
  );
  const schedules = await guard(() => schedulesTargeting(scheduler, where.clusterArn), [], 'scheduler:ListSchedules');
  const fromSchedules = await guard(
    async () => (await Promise.all(schedules.map(async ({ name, group }) => scheduleTask(await readSchedule(scheduler, name, group), where)))).flat(),
    [],
    'scheduler:GetSchedule',
  );
  return [...fromRules, ...fromSchedules];
}

/**
 * Every scheduled task that runs `family` on the cluster, for pruning: unlike Preflight's lookup, a
 * denied permission throws, since a schedule it could not see may run a revision about to be deregistered.
 */
export const scheduledTasksRunning = (family: string, clusterArn: string, deps: ScheduledTasksDeps): Promise<ScheduledTask[]> =>
  findAll({ family, clusterArn }, deps, (work) => work());

async function findNamed(names: NamedScheduledTask[], where: Where, { aws, reporter }: ScheduledTasksDeps): Promise<ScheduledTask[]> {
  const events = await aws.events();
  const scheduler = await aws.scheduler();
  const problems: string[] = [];
  const found: ScheduledTask[] = [];
  for (const named of names) {
    const rule = named.group === undefined ? await unlessDenied(() => orMissing(targetsOfRule(events, named.name)), null, 'events:ListTargetsByRule', reporter) : undefined;
    const schedule = await unlessDenied(() => orMissing(readSchedule(scheduler, named.name, named.group ?? DEFAULT_GROUP)), null, 'scheduler:GetSchedule', reporter);
    // null: denied, so not known either way (warned).
    if (rule === null || schedule === null) continue;
    const tasks = [...(rule ? ruleTasks(named.name, rule, where) : []), ...(schedule ? scheduleTask(schedule, where) : [])];
    if (tasks.length > 0) found.push(...tasks);
    else problems.push(namedProblem(named, rule, schedule, where));
  }
  if (problems.length > 0) throw new InputError(problems);
  return found;
}

async function orMissing<T>(reading: Promise<T>): Promise<T | undefined> {
  try {
    return await reading;
  } catch (error) {
    if (isNotFound(error)) return undefined;
    throw error;
  }
}

function namedProblem(named: NamedScheduledTask, rule: Target[] | undefined, schedule: Schedule | undefined, where: Where): string {
  const wanted = `family "${where.family}" on ${where.clusterArn}`;
  if (!rule && !schedule) {
    const what = named.group === undefined ? `no EventBridge rule (default event bus) and no Scheduler schedule (group ${DEFAULT_GROUP})` : `no Scheduler schedule in group ${named.group}`;
    return `scheduled-tasks: "${named.text}" was not found: there is ${what} of that name. Expected a rule or schedule whose ECS target runs ${wanted}.`;
  }
  const runs = [
    ...(rule ?? []).map((target) => `rule target ${target.Id} runs ${target.EcsParameters?.TaskDefinitionArn ?? 'no ECS task'} on ${target.Arn}`),
    ...(schedule ? [`the schedule runs ${schedule.Target?.EcsParameters?.TaskDefinitionArn ?? 'no ECS task'} on ${schedule.Target?.Arn}`] : []),
  ];
  return `scheduled-tasks: "${named.text}" does not run ${wanted} (${runs.join('; ') || 'the rule has no targets'}).`;
}
