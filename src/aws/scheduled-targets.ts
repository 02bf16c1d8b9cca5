import type { EventBridgeClient, PutTargetsResultEntry, Target } from '@aws-sdk/client-eventbridge';
import type { GetScheduleCommandOutput, SchedulerClient } from '@aws-sdk/client-scheduler';

// The EventBridge and EventBridge Scheduler calls behind the scheduled tasks that follow a deploy; the
// SDK packages load only when a run uses them. Scheduled rules live on the default event bus only
// (schedule expressions are not allowed elsewhere).

const eventBridge = () => import('@aws-sdk/client-eventbridge');
const schedulerSdk = () => import('@aws-sdk/client-scheduler');

/** A schedule as GetSchedule answers it, without the SDK's response metadata. */
export type Schedule = Omit<GetScheduleCommandOutput, '$metadata'>;

/** The names of the rules with a target whose Arn is `targetArn` (for ECS targets: the cluster ARN). */
export async function ruleNamesTargeting(events: EventBridgeClient, targetArn: string): Promise<string[]> {
  const { ListRuleNamesByTargetCommand } = await eventBridge();
  const names: string[] = [];
  let NextToken: string | undefined;
  do {
    const page = await events.send(new ListRuleNamesByTargetCommand({ TargetArn: targetArn, NextToken }));
    names.push(...(page.RuleNames ?? []));
    NextToken = page.NextToken;
  } while (NextToken);
  return names;
}

/** Every target of the rule, as EventBridge has it. */
export async function targetsOfRule(events: EventBridgeClient, rule: string): Promise<Target[]> {
  const { ListTargetsByRuleCommand } = await eventBridge();
  const targets: Target[] = [];
  let NextToken: string | undefined;
  do {
    const page = await events.send(new ListTargetsByRuleCommand({ Rule: rule, NextToken }));
    targets.push(...(page.Targets ?? []));
    NextToken = page.NextToken;
  } while (NextToken);
  return targets;
}

/** PutTargets replaces each target by its Id, whole; the entries EventBridge could not put. */
export async function putRuleTargets(events: EventBridgeClient, rule: string, targets: Target[]): Promise<PutTargetsResultEntry[]> {
  const { PutTargetsCommand } = await eventBridge();
  const failed: PutTargetsResultEntry[] = [];
  for (let i = 0; i < targets.length; i += 10) {
    const answer = await events.send(new PutTargetsCommand({ Rule: rule, Targets: targets.slice(i, i + 10) }));
    failed.push(...(answer.FailedEntries ?? []));
  }
  return failed;
}

/** The schedules of every group whose target is `targetArn`. */
export async function schedulesTargeting(scheduler: SchedulerClient, targetArn: string): Promise<Array<{ name: string; group: string }>> {
  const { ListSchedulesCommand } = await schedulerSdk();
  const found: Array<{ name: string; group: string }> = [];
  let NextToken: string | undefined;
  do {
    const page = await scheduler.send(new ListSchedulesCommand({ NextToken }));
    for (const summary of page.Schedules ?? []) if (summary.Target?.Arn === targetArn) found.push({ name: summary.Name!, group: summary.GroupName ?? 'default' });
    NextToken = page.NextToken;
  } while (NextToken);
  return found;
}

export async function readSchedule(scheduler: SchedulerClient, name: string, group: string): Promise<Schedule> {
  const { GetScheduleCommand } = await schedulerSdk();
  const { $metadata, ...schedule } = await scheduler.send(new GetScheduleCommand({ Name: name, GroupName: group }));
  return schedule;
}

/**
 * UpdateSchedule replaces the whole schedule (a field left out goes back to its default), so every field
 * GetSchedule answered is sent back; only what it answers about the schedule itself is left out.
 */
export async function writeSchedule(scheduler: SchedulerClient, schedule: Schedule): Promise<void> {
  const { UpdateScheduleCommand } = await schedulerSdk();
  const { Arn, CreationDate, LastModificationDate, ...fields } = schedule;
  await scheduler.send(new UpdateScheduleCommand({ ...fields, Name: schedule.Name!, ScheduleExpression: schedule.ScheduleExpression!, Target: schedule.Target!, FlexibleTimeWindow: schedule.FlexibleTimeWindow! }));
}
