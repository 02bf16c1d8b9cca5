// `ecs-ship continue`: lets the paused deployment of each service go on (ContinueServiceDeployment with the
// PAUSE hook ECS waits on), then follows it as a deploy does — to its end (or to where wait-until returns),
// or to a failure and its rollback. A service with no paused deployment is an input error, before any change.
import { continueServiceDeployment } from '../aws/service-deployments';
import { sendChange } from '../execute/changes';
import { ServiceWatcher } from '../execute/deployment/service-watcher';
import type { DeployDeps } from '../execute/run-deps';
import { followRollout } from '../execute/deployment/roll-out';
import { rolloutRequest } from '../execute/service-run';
import { inputName } from '../inputs/spelling';
import { deploymentInProgress, describeInProgress, type InProgress } from '../plan/deployment-in-progress';
import type { Target } from '../plan/preflight';
import type { SteerRequest } from '../request/steer-request';
import { InputError } from '../shared/errors';
import { readSteerRequest } from '../request/steer-request';
import { actOnAll, preflightAll, steer, steerRecord, type Acted, type SteerUnit } from './steering';
import type { Verb } from './verb';
import { withConfigFile } from '../inputs/spelling';

/** continue: the services (one from the inputs, or the config file's), then each one's paused deployment let go on and followed. */
export const continueCommand: Verb = async (raw, env) => {
  const request = readSteerRequest(raw, env);
  return { ledger: steerRecord(request, env, 'continue'), region: request.shared.awsRegion, execute: (deps) => withConfigFile(request.file, () => continueApp(request, deps)) };
};

export function continueApp(request: SteerRequest, deps: DeployDeps): Promise<void> {
  return steer(request, deps, async (units, phase) => {
    const paused = await phase('Preflight', () => preflightAll(units, (unit) => pausedDeployment(unit)));
    await phase('Continue', () => Promise.all(units.map((unit, i) => letGoOn(unit, paused[i]))));
    await phase('Rollout', () => actOnAll(units, (unit) => follow(unit, paused[units.indexOf(unit)]), 'The continue failed'));
    const early = units.some((unit) => unit.record.rollout?.state === 'PAUSED' || unit.record.rollout?.state === 'AT_STAGE');
    deps.record.outcome = early ? 'returned' : 'deployed';
  });
}

/** The service's deployment paused at a PAUSE hook (the one hook-id names, when given); an input error when there is none. */
async function pausedDeployment(unit: SteerUnit & { target: Target }): Promise<InProgress> {
  const { service } = unit.target;
  const found = await deploymentInProgress(unit.deps.aws.ecs, unit.target);
  const given = unit.inputs.hookId;
  if (!found) throw new InputError([`service "${service.serviceName}" has no deployment in progress, so none is paused: nothing to continue. It runs ${service.taskDefinition}.`]);
  const waiting = (found.record.lifecycleHookDetails ?? []).filter((hook) => hook.targetType === 'PAUSE' && hook.status === 'AWAITING_ACTION').map((hook) => hook.hookId!);
  if (waiting.length === 0) throw new InputError([`service "${service.serviceName}": ${describeInProgress(found)} and not paused at a lifecycle hook: nothing to continue.`]);
  if (given && !waiting.includes(given)) {
    throw new InputError([`${inputName('hook-id')}: "${given}" is not the PAUSE hook deployment ${found.deploymentId} of service "${service.serviceName}" waits on; ECS waits on ${waiting.join(', ')}.`]);
  }
  return { ...found, hookId: given || waiting[0] };
}

async function letGoOn(unit: SteerUnit, paused: InProgress): Promise<void> {
  const { record, deps } = unit;
  record.taskDefinitionArn = paused.taskDefinition;
  record.previousTaskDefinitionArn = paused.previous ?? record.previousTaskDefinitionArn;
  record.rollout = { deploymentId: paused.deploymentId, serviceDeploymentArn: paused.recordArn, state: 'IN_PROGRESS', lifecycleStage: paused.record.lifecycleStage };
  const call = {
    action: 'ContinueServiceDeployment' as const,
    inFlight: `ContinueServiceDeployment of ${paused.recordArn} was sent and not answered yet, so ECS may be going on with deployment ${paused.deploymentId}`,
    noAnswer: `ECS did not say whether it lets deployment ${paused.deploymentId} go on; it may be going on with it`,
  };
  await sendChange(record, call, () => continueServiceDeployment(deps.aws.ecs, paused.recordArn, paused.hookId!));
  deps.reporter.info(`Continued deployment ${paused.deploymentId} of ${paused.taskDefinition}, paused at ${paused.record.lifecycleStage} by lifecycle hook ${paused.hookId}: ECS goes on with it.`);
}

/** Follows the deployment as a deploy does; says how the service ended. */
async function follow(unit: SteerUnit, paused: InProgress): Promise<Acted> {
  const { deps, record } = unit;
  const watcher = new ServiceWatcher(unit.target!, { ecs: deps.aws.ecs, reporter: deps.reporter, record, signal: deps.signal });
  const request = rolloutRequest(unit.inputs, paused.taskDefinition);
  const previous = paused.previous ?? unit.target!.service.taskDefinition;
  const rolloutDeps = { ecs: deps.aws.ecs, cloudWatch: deps.aws.cloudWatch, reporter: deps.reporter, record, watcher, signal: deps.signal };
  await followRollout(unit.target!, { deployment: { id: paused.deploymentId, recordArn: paused.recordArn }, previous, started: Date.now(), answeredHook: paused.hookId }, request, rolloutDeps);
  const rollout = record.rollout!;
  if (rollout.state === 'PAUSED') return { outcome: 'paused', said: `paused again at ${rollout.lifecycleStage} (hook ${rollout.hookId})` };
  if (rollout.state === 'AT_STAGE') return { outcome: 'in progress', said: `at ${rollout.lifecycleStage}` };
  return { outcome: 'deployed', said: 'deployed' };
}
