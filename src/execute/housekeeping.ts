// The housekeeping phase, after a successful rollout: the scheduled tasks follow the new revision, and
// keep-revisions prunes each family — keeping what every service of the run runs and would roll back to.
import { familyOf, type InUseRevision } from '../plan/prune-selection';
import { scheduledRevisions } from '../plan/deploy-plan';
import type { Voice } from '../request/voice';
import { pruneRevisions } from './prune';
import { pointScheduledTasks } from './scheduled-tasks';
import type { Phase, ServiceRun } from './service-run';

/** `done`: the services whose deploy ran to its end (not those a wait-until returned early from); every service's revisions are kept. */
export async function tidyUp(runs: ServiceRun[], done: (run: ServiceRun) => boolean, voice: Voice, phase: Phase): Promise<void> {
  // Services may share a family: each one's pruning keeps what every service of the run runs and would roll back to.
  const appInUse: InUseRevision[] = voice.single
    ? []
    : runs.flatMap(({ plan, registration }) => [
        { arn: registration!.arn, why: `service ${plan.service.name} runs it` },
        { arn: plan.preflight.target.service.taskDefinition!, why: `what a rollback of ${plan.service.name} would go back to` },
      ]);
  for (const run of runs.filter(done)) {
    const servicePhase: Phase = (title, work) => phase(voice.single ? title : `${title}: ${run.plan.service.name}`, work);
    await tidyUpService(run, servicePhase, appInUse);
  }
}

async function tidyUpService({ plan, deps, registration }: ServiceRun, phase: Phase, alsoInUse: InUseRevision[]): Promise<void> {
  const { preflight, inputs } = plan;
  const { scheduled, target } = preflight;
  const arn = registration!.arn;
  // Only after a successful rollout: a failed one leaves them where they were, on the revision rolled back to.
  if (scheduled) await phase('Scheduled tasks', () => pointScheduledTasks(scheduled, arn, deps));
  if (inputs.keepRevisions === 0) return;
  const family = familyOf(arn)!;
  await deps.reporter.phase('Revisions', async () => {
    const scheduledUse = await scheduledRevisions(preflight, family, deps, deps.reporter);
    if (!scheduledUse) return;
    const prune = { cluster: inputs.cluster, family, keep: inputs.keepRevisions, deployed: arn, rollbackTarget: target.service.taskDefinition, alsoInUse: [...scheduledUse, ...alsoInUse] };
    await pruneRevisions(prune, { ecs: deps.aws.ecs, reporter: deps.reporter, record: deps.record, signal: deps.signal });
  });
}
