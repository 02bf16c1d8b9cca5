// deploy: request → plan → execute → outcome. One service from the inputs is an app of one, told in its
// own words (request/voice.ts); the dry run prints the plan and stops.
import { sharedReads } from '../aws/shared-reads';
import { ServiceWatcher } from '../execute/deployment/service-watcher';
import { tidyUp } from '../execute/housekeeping';
import { carryOutImages } from '../execute/images';
import { newLedger } from '../execute/ledger';
import { migrate } from '../execute/migrate';
import { appLedger } from '../execute/new-ledger';
import { timedReporter } from '../execute/phase-reporters';
import { registerRevisions } from '../execute/register';
import { returnedEarly, rollOutServices } from '../execute/rollout';
import { shortArn } from '../inputs/arns';
import { inputName } from '../inputs/spelling';
import { phaseOf, redacted, type DeployDeps } from '../execute/run-deps';
import type { LedgerEntry, ServiceRun } from '../execute/service-run';
import { planDeploy, type DeployPlan } from '../plan/deploy-plan';
import { printPlan } from '../plan/print-plan';
import { withConfigFile } from '../inputs/spelling';
import { readRequest, type App } from '../request/read-request';
import { voiceOf, type Voice } from '../request/voice';
import { requestSummary } from '../request/request-summary';
import { imagePruneRequest, pruneImages, showImagePrunePlan } from '../execute/image-housekeeping';
import type { Verb } from './verb';

export const deploy: Verb = async (raw, env) => {
  const app = await readRequest(raw, env);
  const { cluster, service, awsRegion } = app.shared;
  const ledger = app.file ? appLedger(app, env) : newLedger(cluster, service, awsRegion, env);
  // A config file's settings come from it as well as from the step: the run's messages say so.
  return { ledger, region: awsRegion, request: requestSummary(app), execute: (deps) => withConfigFile(app.file, () => redacted(deps, (redactedDeps) => deployApp(app, redactedDeps))) };
};

async function deployApp(app: App, given: DeployDeps): Promise<void> {
  // The services' watchers read ECS together: one DescribeServices for up to 10 of them.
  const deps = { ...given, aws: { ...given.aws, ecs: sharedReads(given.aws.ecs) } };
  const voice = voiceOf(app);
  const ledger = deps.record;
  const reporter = ledger.app ? timedReporter(deps.reporter, ledger.app) : deps.reporter;
  const phase = phaseOf({ ...deps, reporter });
  const entries: LedgerEntry[] = ledger.app?.services ?? [{ name: app.services[0].name, record: ledger, outcome: 'not started' }];
  const units = app.services.map((service) => ({ service, reporter: voice.serviceReporter(reporter, service.name) }));

  const plan = await phase('Preflight', () => planDeploy(app, units, { ...deps, reporter }, voice));
  // The report file keeps the plan a real run carries out (the dry run's is its planned-changes output).
  ledger.plan = plan.changes;
  plan.services.forEach((service, i) => (entries[i].record.previousTaskDefinitionArn = service.preflight.target.service.taskDefinition));
  if (plan.dryRun) {
    await printAll(plan, entries, units, voice, phase);
    if (app.shared.keepImages > 0) {
      const deletions = await phase('Images (dry run: nothing is deleted)', () => showImagePrunePlan(imagePruneRequest(plan), app.services[0].name, { ...deps, reporter }));
      (entries[0].record.planned ??= []).push(...deletions);
    }
    ledger.outcome = 'planned';
    return;
  }

  const runs: ServiceRun[] = plan.services.map((service, i) => {
    const runDeps = { ...deps, reporter: units[i].reporter, record: entries[i].record };
    const watcher = new ServiceWatcher(service.preflight.target, { ecs: deps.aws.ecs, reporter: runDeps.reporter, record: runDeps.record, signal: deps.signal });
    return { plan: service, entry: entries[i], deps: runDeps, watcher };
  });
  // A cancel that arrives while a step runs stops the run before the next step changes anything.
  deps.signal?.throwIfAborted();
  const images = await carryOutImages(plan, { ...deps, reporter, phase }, voice);
  deps.signal?.throwIfAborted();
  // Revisions that run already (redeploy, task-definition-arn) are taken as they are: no phase, no empty header.
  const register = () => registerRevisions(runs, images, plan.images, voice);
  await (plan.services.some((s) => s.revision.kind !== 'known') ? phase(voice.single ? 'Task definition' : 'Task definitions', register) : register());
  await migrate(runs, app, phase, reporter);
  await rollOutServices(runs, app, voice, phase);
  // A cancel that came while the last rollout step ran (an UpdateService answered after it, with wait false or
  // wait-until deployed) is the run's end: it moves no scheduled task and does not report a deploy.
  deps.signal?.throwIfAborted();
  const underWay = runs.filter((run) => returnedEarly(run.entry.record));
  // The scheduled tasks and the pruning wait for a deploy that runs to its end.
  await tidyUp(runs, (run) => !underWay.includes(run), voice, phase);
  // keep-images spares what ACTIVE revisions name: only once every service ran to its end.
  if (app.shared.keepImages > 0 && underWay.length === 0) await phase('Images', () => pruneImages(imagePruneRequest(plan, runs), { ...deps, reporter }));
  ledger.outcome = underWay.length > 0 ? 'returned' : 'deployed';
  if (underWay.length > 0) {
    // What an early return does not do: the housekeeping. The log says it too (the pipe and the CLI have no job summary).
    const skipped = [inputName('scheduled-tasks'), inputName('keep-revisions'), ...(app.shared.keepImages > 0 ? [inputName('keep-images')] : [])];
    const later = `${skipped.slice(0, -1).join(', ')} and ${skipped.at(-1)} were not acted on: they follow a deploy that runs to its end.`;
    reporter.info(later);
    ledger.message = [...whereEachStands(runs, voice), later].join('\n');
  }
}

/** An early return (wait-until) says where each service stands and what is still to happen. */
function whereEachStands(runs: ServiceRun[], voice: Voice): string[] {
  return runs.map(({ plan, entry }) => {
    const rollout = entry.record.rollout;
    const name = voice.single ? `Service ${plan.service.name}` : `- ${plan.service.name}`;
    if (!rollout || !returnedEarly(entry.record)) return `${name}: ${entry.outcome}${entry.record.taskDefinitionArn ? `, runs ${entry.record.taskDefinitionArn}` : ''}.`;
    const where = rollout.state === 'PAUSED' ? `paused at ${rollout.lifecycleStage} by lifecycle hook ${rollout.hookId}` : `at ${rollout.lifecycleStage}`;
    return `${name}: deployment ${rollout.deploymentId} of ${shortArn(entry.record.taskDefinitionArn ?? '')} ${where}; ${rollout.stillToHappen}.`;
  });
}

/** The dry run: each service's plan, printed; the ledger holds the changes a real run would make. */
async function printAll(plan: DeployPlan, entries: LedgerEntry[], units: Array<{ reporter: DeployDeps['reporter'] }>, voice: Voice, phase: ReturnType<typeof phaseOf>): Promise<void> {
  for (const [i, service] of plan.services.entries()) {
    await phase(`${voice.single ? 'Plan' : `Plan ${service.service.name}`} (dry run: nothing is changed)`, async () => printPlan(service, units[i].reporter));
    entries[i].outcome = 'planned';
    entries[i].record.planned = service.changes;
  }
}
