// The rollout phase: every service the plan updates is pointed at its revision, all at once, and followed
// together. When one fails, the others this run changed are rolled back too (rollback-scope all), or kept
// (failed); the message gives each service's outcome.
import { awsSaid } from '../aws/failed-call';
import { inputName } from '../inputs/spelling';
import { shortArn } from '../inputs/arns';
import type { App } from '../request/read-request';
import type { Voice } from '../request/voice';
import { DeployError, InputError } from '../shared/errors';
import { rollBack } from './deployment/rollback';
import { rollOut } from './deployment/roll-out';
import { rolloutDeps, rolloutRequest, type LedgerEntry, type Phase, type ServiceRun } from './service-run';

export async function rollOutServices(runs: ServiceRun[], app: App, voice: Voice, phase: Phase): Promise<void> {
  if (voice.single) return phase('Rollout', () => rollOutOne(runs[0]));
  return phase(`Rollout ${runs.map((r) => r.plan.service.name).join(', ')}`, () => rollOutAll(runs, app));
}

function rollOutService(run: ServiceRun): Promise<void> {
  run.entry.outcome = 'running';
  const request = rolloutRequest(run.plan.inputs, run.registration!.arn, run.plan.update);
  return rollOut(run.plan.preflight.target, request, rolloutDeps(run));
}

function settled(entry: LedgerEntry): void {
  const state = entry.record.rollout?.state;
  entry.outcome = state === 'UNCHANGED' ? 'unchanged' : state === 'PAUSED' ? 'paused' : state === 'AT_STAGE' ? 'in progress' : 'deployed';
}

/** wait-until returned before the end of the service's deployment, which ECS goes on with. */
export function returnedEarly(record: LedgerEntry['record']): boolean {
  return record.rollout?.state === 'PAUSED' || record.rollout?.state === 'AT_STAGE';
}

/** The single service: its rollout's own failure is the run's. */
async function rollOutOne(run: ServiceRun): Promise<void> {
  await rollOutService(run);
  settled(run.entry);
}

async function rollOutAll(runs: ServiceRun[], app: App): Promise<void> {
  const results = await Promise.allSettled(runs.map(rollOutService));
  if (runs[0].deps.signal?.aborted) throw runs[0].deps.signal.reason;
  results.forEach((result, i) => {
    const { entry } = runs[i];
    if (result.status === 'fulfilled') return settled(entry);
    entry.outcome = entry.record.rollout?.rolledBackTo ? 'rolled back' : 'failed';
    entry.why = describe(result.reason);
  });
  const failed = runs.filter((r) => r.entry.why !== undefined);
  if (failed.length === 0) return;
  const names = failed.map((r) => r.plan.service.name).join(', ');
  const scope = app.shared.rollbackScope;
  if (scope === 'all') {
    const changed = runs.filter((r) => r.entry.outcome === 'deployed' || returnedEarly(r.entry.record));
    await Promise.all(changed.map((run) => rollBackBecause(run, `${names} failed (${inputName('rollback-scope')} all)`)));
  }
  throw new DeployError(appFailure(runs, names, scope), failed.map((r) => `${r.plan.service.name}: ${r.entry.why}`));
}

/** A service whose rollout succeeded goes back to the revision it ran before, because another one failed. */
async function rollBackBecause(run: ServiceRun, reason: string): Promise<void> {
  const { entry, plan } = run;
  const record = entry.record;
  const rollout = record.rollout!;
  const request = rolloutRequest(plan.inputs, record.taskDefinitionArn!);
  if (!request.rollback) {
    entry.why = `kept on ${record.taskDefinitionArn}: ${inputName('rollback')} is false`;
    return;
  }
  entry.outcome = 'running';
  // A deployment the run returned from early is still in progress: ECS can stop it with a rollback.
  const early = returnedEarly(record) ? `${rollout.state === 'PAUSED' ? 'paused ' : ''}at ${rollout.lifecycleStage}` : undefined;
  try {
    const deployment = { id: rollout.deploymentId!, recordArn: rollout.serviceDeploymentArn };
    await rollBack({ reason, previous: record.previousTaskDefinitionArn!, deployment, ended: !early }, request, rolloutDeps(run));
  } catch (error) {
    if (early) stoppedEarly(rollout);
    entry.outcome = rollout.rolledBackTo ? 'rolled back' : 'failed';
    entry.why = rollout.rolledBackTo ? `${early ? stoppedText(rollout, early) : 'it deployed, then went back'} to ${shortArn(rollout.rolledBackTo)} because ${reason}` : describe(error);
  }
}

/** A deployment stopped where the run had returned from it: ECS no longer holds it there, nor waits on its hook. */
function stoppedEarly(rollout: NonNullable<LedgerEntry['record']['rollout']>): void {
  rollout.state = 'STOPPED';
  rollout.hookId = undefined;
  rollout.stillToHappen = undefined;
}

function stoppedText(rollout: NonNullable<LedgerEntry['record']['rollout']>, where: string): string {
  const how = rollout.rollback?.how === 'UpdateService' ? 'was rolled back with UpdateService (ECS refused to stop it)' : 'was stopped with a rollback (StopServiceDeployment), and ECS rolled it back';
  return `its deployment ${rollout.deploymentId}, ${where}, ${how}`;
}

function appFailure(runs: ServiceRun[], names: string, scope: 'all' | 'failed'): string {
  const what = scope === 'all' ? 'every service this run changed was rolled back' : `only the failed ones were rolled back (${inputName('rollback-scope')} failed)`;
  const lines = runs.map(({ plan, entry }) => `- ${plan.service.name}: ${entry.outcome}${serviceFact(entry, scope)}`);
  const migrated = runs.find((r) => r.entry.record.migration?.result === 'succeeded');
  const rolledBack = runs.filter((r) => r.entry.outcome === 'rolled back').map((r) => r.plan.service.name);
  if (migrated && rolledBack.length > 0) {
    lines.push(`The migration is not undone: ${rolledBack.join(', ')} now run${rolledBack.length === 1 ? 's' : ''} the previous revision against the migrated schema.`);
  }
  return [`The deploy failed: ${names} failed, so ${what}.`, ...lines].join('\n');
}

function serviceFact(entry: LedgerEntry, scope: 'all' | 'failed'): string {
  const { record, why } = entry;
  if (why) return `: ${why}`;
  const rollout = record.rollout;
  if (rollout && returnedEarly(record)) {
    // Not "runs" its new revision: the deployment waits where the run returned, and production may be on the old one.
    const where = rollout.state === 'PAUSED' ? `paused at ${rollout.lifecycleStage} by lifecycle hook ${rollout.hookId}` : `at ${rollout.lifecycleStage}`;
    return `: deployment ${rollout.deploymentId} of ${shortArn(record.taskDefinitionArn ?? '')} was left where it is (${inputName('rollback-scope')} ${scope}), ${where}; ${rollout.stillToHappen}`;
  }
  const runs = record.rollout?.rolledBackTo ?? record.taskDefinitionArn ?? record.previousTaskDefinitionArn;
  return runs ? `, runs ${runs}` : '';
}

function describe(error: unknown): string {
  if (error instanceof DeployError || error instanceof InputError) return error.message;
  return `Unexpected error: ${awsSaid(error)}`;
}
