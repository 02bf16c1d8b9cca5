import { awsAnswered } from '../aws/failed-call';
import type { Ledger, UnansweredCall } from './ledger';

/**
 * Sends a call that changes something, listed in the record until it is answered, so that a cancel or a
 * failure meanwhile can say what it may have started. A call that failed without an answer stays listed, as lost.
 */
export async function sendChange<T>(record: Ledger, call: UnansweredCall, send: () => Promise<T>): Promise<T> {
  record.unanswered.push(call);
  try {
    const answer = await send();
    forget(record, call);
    return answer;
  } catch (error) {
    if (awsAnswered(error)) forget(record, call);
    else call.lost = true;
    throw error;
  }
}

function forget(record: Ledger, call: UnansweredCall): void {
  record.unanswered.splice(record.unanswered.indexOf(call), 1);
}

/** The calls a cancel report waits for (bounded): their answer starts something ecs-ship must stop. */
export function callsCancelWaitsFor(record: Ledger): UnansweredCall[] {
  return record.unanswered.filter((call) => call.cancelWaits && !call.lost);
}

/** Where things are after a failure, from the record: what may still run, and which revision the service runs. */
export function whereNow(record: Ledger): string {
  const facts = record.unanswered.filter((call) => call.lost).map((call) => `${call.noAnswer}.`);
  const { migration, rollout, previousTaskDefinitionArn } = record;
  if (migration?.result === 'running' && migration.taskArn) facts.push(`Migration task ${migration.taskArn} may still be running; it was left alone.`);
  if (!previousTaskDefinitionArn) return [...facts, 'Nothing was changed.'].join(' ');
  const rollback = rollout?.rollback;
  if (rollback?.notHeld) {
    facts.push(`ecs-ship rolled the service back to ${rollback.taskDefinition}, but ECS rolled that deployment back: the service runs ${rollback.notHeld.runs}.`);
  } else if (rollback) {
    facts.push(`The service was rolled back to ${rollback.taskDefinition} (${rollbackText(rollback)}${rollback.settled ? '' : ', which may still be rolling out'}).`);
  } else if (rollout?.deploymentId) {
    facts.push(`The service was updated to ${record.taskDefinitionArn} (deployment ${rollout.deploymentId}${rollout.state === 'COMPLETED' ? ', completed' : ', which may still be rolling out'}).`);
  } else if (record.unanswered.some((call) => call.action === 'UpdateService')) {
    facts.push(`Before, it ran ${previousTaskDefinitionArn}.`);
  } else {
    facts.push(`The service was not updated: it still runs ${previousTaskDefinitionArn}.`);
  }
  return facts.join(' ');
}

/** What a cancel leaves behind, from the record (a whole app's: every service's); empty when nothing is in flight. */
export function inFlight(record: Ledger): string[] {
  const calls = record.unanswered.map((call) => call.inFlight);
  // A whole app's services share the app's list of calls: each adds what it has going on in ECS.
  if (record.app) return [...calls, ...record.app.services.flatMap(({ name, record: service }) => runningInEcs(service).map((part) => `${name}: ${part}`))];
  return [...calls, ...runningInEcs(record)];
}

/** The migration task and the deployment of a service still going on in ECS. */
function runningInEcs(record: Ledger): string[] {
  const parts: string[] = [];
  const { migration, rollout, service } = record;
  if (migration?.result === 'running' && migration.taskArn) parts.push(`migration task ${migration.taskArn} may still be running`);
  const task = record.task;
  if (task?.result === 'running' && task.taskArn) parts.push(`one-off task ${(task.taskArns ?? [task.taskArn]).join(', ')} may still be running`);
  const rollback = rollout?.rollback;
  if (rollback && !rollback.settled) {
    parts.push(`${rollbackText(rollback, 'rollback deployment')} of service ${service} (to ${rollback.taskDefinition}) is still rolling out in ECS`);
  } else if (rollout?.deploymentId && (rollout.state === 'IN_PROGRESS' || rollout.state === 'STARTED')) {
    parts.push(`deployment ${rollout.deploymentId} of service ${service} is still rolling out in ECS`);
  }
  return parts;
}

type Rollback = NonNullable<NonNullable<Ledger['rollout']>['rollback']>;

/** "ecs-ship's deployment ecs-svc/1", "ECS's rollback of deployment ecs-svc/2"; `own` names a rollback deployment ecs-ship started. */
function rollbackText(rollback: Rollback, own = "ecs-ship's deployment"): string {
  if (rollback.by === 'circuit breaker' && rollback.how === undefined) return `ECS's circuit-breaker ${own === "ecs-ship's deployment" ? 'deployment' : 'rollback deployment'} ${rollback.deploymentId}`;
  if (rollback.by === 'ecs-ship' && rollback.how !== 'StopServiceDeployment') return `${own} ${rollback.deploymentId}`;
  const who = rollback.by === 'ecs-ship' ? 'the rollback ecs-ship asked for of' : `ECS's rollback${rollback.cause ? ` (started by ${rollback.cause})` : ''} of`;
  return `${who} deployment ${rollback.deploymentId}`;
}
