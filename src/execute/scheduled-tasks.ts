// After a successful rollout, the scheduled tasks that run the family (plan/scheduled-task-lookup.ts) are
// pointed at the new revision, and pointed back when a later step rolls the service back. A target is
// re-read just before it is changed, and only its TaskDefinitionArn changes: every other setting is sent
// back as it was read.
import { awsSaid } from '../aws/failed-call';
import { putRuleTargets, readSchedule, targetsOfRule, writeSchedule } from '../aws/scheduled-targets';
import { stated } from '../inputs/spelling';
import type { MovedScheduledTask, Ledger } from './ledger';
import { describeScheduledTask, taskDefinitionOf, type ScheduledTask } from '../plan/scheduled-task-names';
import type { ScheduledTasksDeps } from '../plan/scheduled-task-lookup';

/** A move of one rule's targets or one schedule, from what Preflight found to `to`; what it changed. */
async function move(tasks: ScheduledTask[], to: string, deps: ScheduledTasksDeps): Promise<MovedScheduledTask[]> {
  const [first] = tasks;
  const changed = (task: ScheduledTask): MovedScheduledTask => ({ kind: task.kind, name: task.name, ...(task.targetId ? { targetId: task.targetId } : {}), from: task.taskDefinitionArn, to });
  try {
    if (first.kind === 'schedule') {
      const scheduler = await deps.aws.scheduler();
      const [group, name] = first.name.split('/');
      const schedule = await readSchedule(scheduler, name, group);
      const ecs = schedule.Target?.EcsParameters;
      if (!ecs || ecs.TaskDefinitionArn !== first.taskDefinitionArn) return changedMeanwhile([first], ecs?.TaskDefinitionArn, deps);
      await writeSchedule(scheduler, { ...schedule, Target: { ...schedule.Target!, EcsParameters: { ...ecs, TaskDefinitionArn: to } } });
      return [changed(first)];
    }
    const events = await deps.aws.events();
    const targets = await targetsOfRule(events, first.name);
    const movable = tasks.filter((task) => targets.some((target) => target.Id === task.targetId && target.EcsParameters?.TaskDefinitionArn === task.taskDefinitionArn));
    changedMeanwhile(tasks.filter((task) => !movable.includes(task)), undefined, deps);
    const updated = movable.map((task) => {
      const target = targets.find((t) => t.Id === task.targetId)!;
      return { ...target, EcsParameters: { ...target.EcsParameters!, TaskDefinitionArn: to } };
    });
    if (updated.length === 0) return [];
    const failed = await putRuleTargets(events, first.name, updated);
    for (const entry of failed) deps.reporter.warn(`${describeScheduledTask({ kind: 'rule', name: first.name, targetId: entry.TargetId })} was not pointed at ${to}: EventBridge answered PutTargets with ${entry.ErrorCode}: ${entry.ErrorMessage}. It still runs what it ran.`);
    return movable.filter((task) => !failed.some((entry) => entry.TargetId === task.targetId)).map(changed);
  } catch (error) {
    for (const task of tasks) deps.reporter.warn(`${describeScheduledTask(task)} was not pointed at ${to}: ${awsSaid(error)}. It still runs ${task.taskDefinitionArn}; point it by hand.`);
    return [];
  }
}

function changedMeanwhile(tasks: ScheduledTask[], now: string | undefined, deps: ScheduledTasksDeps): [] {
  for (const task of tasks) deps.reporter.warn(`${describeScheduledTask(task)} no longer runs ${task.taskDefinitionArn}${now ? ` (it runs ${now})` : ''}: it was changed in the meantime, so it is left as it is.`);
  return [];
}

/** Moves each (rule's targets together, each schedule alone); failures are warnings naming what did not move. */
async function moveAll(tasks: ScheduledTask[], to: (task: ScheduledTask) => string, deps: ScheduledTasksDeps): Promise<MovedScheduledTask[]> {
  const batches = new Map<string, ScheduledTask[]>();
  for (const task of tasks) batches.set(`${task.kind} ${task.name} ${to(task)}`, [...(batches.get(`${task.kind} ${task.name} ${to(task)}`) ?? []), task]);
  const moved: MovedScheduledTask[] = [];
  for (const batch of batches.values()) moved.push(...(await move(batch, to(batch[0]), deps)));
  return moved;
}

/**
 * After a successful rollout: points the scheduled tasks at `taskDefinitionArn`. Those without a revision
 * (the latest ACTIVE one) and those already on it stay as they are. What moved goes into the record.
 */
export async function pointScheduledTasks(found: readonly ScheduledTask[], taskDefinitionArn: string, deps: ScheduledTasksDeps & { record: Ledger }): Promise<MovedScheduledTask[]> {
  if (deps.record.rollout?.state === 'STARTED') deps.reporter.info(`The rollout was not waited for (${stated('wait', false)}): the scheduled tasks are pointed at ${taskDefinitionArn} all the same.`);
  const pinned = found.filter((task) => taskDefinitionOf(task.taskDefinitionArn).revision !== undefined && task.taskDefinitionArn !== taskDefinitionArn);
  const moved = await moveAll(pinned, () => taskDefinitionArn, deps);
  deps.record.scheduledTasks = [...(deps.record.scheduledTasks ?? []), ...moved];
  for (const task of moved) deps.reporter.info(`${describeScheduledTask(task)}: ${task.from} → ${task.to}`);
  if (pinned.length === 0) deps.reporter.info(`No scheduled task needed moving: ${found.length === 0 ? 'none runs the family on the cluster' : `they already run ${taskDefinitionArn} or the latest revision`}.`);
  return moved;
}

/** When a later step rolls the service back: points what pointScheduledTasks moved back to what it ran before. */
export async function restoreScheduledTasks(moved: readonly MovedScheduledTask[], deps: ScheduledTasksDeps & { record: Ledger }): Promise<MovedScheduledTask[]> {
  const back = moved.filter((task) => !task.restored).map((task): ScheduledTask => ({ kind: task.kind, name: task.name, targetId: task.targetId, taskDefinitionArn: task.to }));
  const from = (task: ScheduledTask) => moved.find((m) => m.kind === task.kind && m.name === task.name && m.targetId === task.targetId)!.from;
  const restored = await moveAll(back, from, deps);
  for (const task of restored) {
    const entry = deps.record.scheduledTasks?.find((m) => m.kind === task.kind && m.name === task.name && m.targetId === task.targetId);
    if (entry) entry.restored = true;
    deps.reporter.info(`${describeScheduledTask(task)}: moved back to ${task.to}`);
  }
  return restored;
}
