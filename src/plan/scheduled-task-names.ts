import { parseList } from '../image/lines';
import { inputName } from '../inputs/spelling';
import { InputError } from '../shared/errors';

// What scheduled-tasks asks for, and which task definitions a scheduled task's target names. Pure.

/** A rule name, or a schedule name (which may also be given as group/name). */
export interface NamedScheduledTask {
  /** As the person wrote it. */
  text: string;
  name: string;
  /** Given only as `group/name`: then it names a schedule, never a rule. */
  group?: string;
}

/** Off (undefined), every scheduled task of the family on the cluster, or the named ones. */
export type ScheduledTaskSelection = { all: true } | { all: false; names: NamedScheduledTask[] };

/** A scheduled ECS task found in Preflight: a rule's target, or a schedule. */
export interface ScheduledTask {
  kind: 'rule' | 'schedule';
  /** The rule's name, or the schedule's `group/name`. */
  name: string;
  /** A rule's target Id. */
  targetId?: string;
  taskDefinitionArn: string;
}

const RULE_NAME = /^[.\-_A-Za-z0-9]{1,64}$/;
const SCHEDULE_IN_GROUP = /^([0-9a-zA-Z\-_.]{1,64})\/([0-9a-zA-Z\-_.]{1,64})$/;

export function readScheduledTasksInput(text: string): ScheduledTaskSelection | undefined {
  const value = text.trim();
  if (value === '' || /^false$/i.test(value)) return undefined;
  if (/^true$/i.test(value)) return { all: true };
  const problems: string[] = [];
  const names: NamedScheduledTask[] = [];
  for (const item of [...new Set(parseList(value))]) {
    const inGroup = SCHEDULE_IN_GROUP.exec(item);
    if (inGroup) names.push({ text: item, group: inGroup[1], name: inGroup[2] });
    else if (RULE_NAME.test(item)) names.push({ text: item, name: item });
    else
      problems.push(
        `scheduled-tasks: "${item}" is not the name of a rule or a schedule. Expected true, or names of EventBridge rules and Scheduler schedules (group/name for a schedule outside the default group), one per line or separated by commas.`,
      );
  }
  if (problems.length > 0) throw new InputError(problems);
  return { all: false, names };
}

/** The family and revision a target's TaskDefinitionArn names: an ARN with or without revision, or family[:revision]. */
export function taskDefinitionOf(reference: string): { family: string; revision?: number } {
  const [family, revision] = reference.replace(/^arn:aws[\w-]*:ecs:[^:]*:\d*:task-definition\//, '').split(':');
  return revision === undefined ? { family } : { family, revision: Number(revision) };
}

/** The revisions the scheduled tasks target (for whatever must not deregister them). */
export function scheduledTaskDefinitionArns(found: readonly ScheduledTask[]): string[] {
  return [...new Set(found.map((task) => task.taskDefinitionArn))];
}

/** "rule nightly (target report)", "schedule ops/cleanup". */
export function describeScheduledTask(task: { kind: 'rule' | 'schedule'; name: string; targetId?: string }): string {
  return task.kind === 'rule' ? `rule ${task.name}${task.targetId ? ` (target ${task.targetId})` : ''}` : `schedule ${task.name}`;
}

/** How the input is written, for messages. */
export const SCHEDULED_TASKS = () => inputName('scheduled-tasks');
