import { ListRuleNamesByTargetCommand, ListTargetsByRuleCommand, PutTargetsCommand, type EventBridgeClient, type PutTargetsResultEntry, type Target } from '@aws-sdk/client-eventbridge';
import { GetScheduleCommand, ListSchedulesCommand, UpdateScheduleCommand, type GetScheduleCommandOutput, type SchedulerClient } from '@aws-sdk/client-scheduler';

// The EventBridge and EventBridge Scheduler calls behind the scheduled tasks that follow a deploy.
// Scheduled rules live on the default event bus only (schedule expressions are not allowed elsewhere).

/** A schedule as GetSchedule answers it, without the SDK's response metadata. */
export type Schedule = Omit<GetScheduleCommandOutput, '$metadata'>;

/** The names of the rules with a target whose Arn is `targetArn` (for ECS targets: the cluster ARN). */
export async function ruleNamesTargeting(events: EventBridgeClient, targetArn: string): Promise<string[]> {
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
  const failed: PutTargetsResultEntry[] = [];
  for (let i = 0; i < targets.length; i += 10) {
    const answer = await events.send(new PutTargetsCommand({ Rule: rule, Targets: targets.slice(i, i + 10) }));
    failed.push(...(answer.FailedEntries ?? []));
  }
  return failed;
}

/** The schedules of every group whose target is `targetArn`. */
export async function schedulesTargeting(scheduler: SchedulerClient, targetArn: string): Promise<Array<{ name: string; group: string }>> {
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
  const { $metadata, ...schedule } = await scheduler.send(new GetScheduleCommand({ Name: name, GroupName: group }));
  return schedule;
}

/**
 * UpdateSchedule replaces the whole schedule (a field left out goes back to its default), so every field
 * GetSchedule answered is sent back; only what it answers about the schedule itself is left out.
 */
export async function writeSchedule(scheduler: SchedulerClient, schedule: Schedule): Promise<void> {
  const { Arn, CreationDate, LastModificationDate, ...fields } = schedule;
  await scheduler.send(new UpdateScheduleCommand({ ...fields, Name: schedule.Name!, ScheduleExpression: schedule.ScheduleExpression!, Target: schedule.Target!, FlexibleTimeWindow: schedule.FlexibleTimeWindow! }));
}
