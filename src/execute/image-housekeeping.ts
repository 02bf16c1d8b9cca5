// keep-images, carried out after a successful deploy: each repository's images beyond the newest N that
// nothing uses are deleted (BatchDeleteImage, 100 a call). Trouble is a warning: the deploy has succeeded.
import type { AwsClients } from '../aws/clients';
import { deleteImages } from '../aws/ecr';
import { awsSaid } from '../aws/failed-call';
import { inputName } from '../inputs/spelling';
import type { DeployPlan } from '../plan/deploy-plan';
import { ecrRepositories, planImagePrune, type ImagePruneRequest, type RepositoryPrune } from '../plan/image-prune-plan';
import { familyOf } from '../plan/prune-selection';
import type { ServiceRun } from './service-run';
import type { PlannedChange } from '../plan/planned-change';
import type { Reporter } from '../shared/reporter';
import type { Ledger } from './ledger';

/** BatchDeleteImage takes up to 100 image IDs. */
const BATCH = 100;

interface Deps {
  aws: AwsClients;
  reporter: Reporter;
  record: Ledger;
  signal?: AbortSignal;
}

export async function pruneImages(request: ImagePruneRequest, { aws, reporter, record, signal }: Deps): Promise<void> {
  const pruned: NonNullable<Ledger['imagesPruned']> = { keep: request.keep, repositories: [] };
  record.imagesPruned = pruned;
  let plans: RepositoryPrune[];
  try {
    plans = await planImagePrune(aws, request);
  } catch (error) {
    pruned.skipped = `could not find out which images are in use (${awsSaid(error)})`;
    reporter.warn(`${inputName('keep-images')}: ${pruned.skipped}, so none was deleted.`);
    return;
  }
  if (plans.length === 0) reporter.info(`${inputName('keep-images')}: the run deploys no image of an ECR repository in ${request.region}; none was deleted.`);
  const ecr = await aws.ecr();
  for (const plan of plans) {
    const entry = { repository: plan.name, deleted: [] as string[], keptInUse: plan.selection.inUse, failed: [] as Array<{ digest: string; reason: string }> };
    pruned.repositories.push(entry);
    for (const batch of batches(plan.selection.remove)) {
      if (signal?.aborted) break;
      try {
        const { deleted, failed } = await deleteImages(ecr, { registryId: plan.registryId, repositoryName: plan.repositoryName }, batch);
        entry.deleted.push(...deleted);
        entry.failed.push(...failed);
      } catch (error) {
        entry.failed.push(...batch.map((digest) => ({ digest, reason: awsSaid(error) })));
      }
    }
    if (entry.failed.length) reporter.warn(`${inputName('keep-images')}: could not delete ${entry.failed.map((f) => `${short(f.digest)} (${f.reason})`).join(', ')} from ${plan.name}. They stay.`);
    reporter.info(`Images of ${plan.name}: deleted ${list(entry.deleted)}.\n${keptText(plan)}`);
  }
}

/** Dry run: what a real run would delete after its deploy, said and returned as planned changes (none when it cannot be found out). */
export async function showImagePrunePlan(request: ImagePruneRequest, service: string, { aws, reporter }: Pick<Deps, 'aws' | 'reporter'>): Promise<PlannedChange[]> {
  try {
    const plans = await planImagePrune(aws, request);
    const pending = request.pendingPush?.length ? ' (a build pushes one more image first, which takes one of those places)' : '';
    for (const plan of plans) {
      reporter.info(`After a successful deploy (${inputName('keep-images')}: ${request.keep}${pending}), a real run would delete from ${plan.name}: ${list(plan.selection.remove)}.\n${keptText(plan)}`);
    }
    return plans.flatMap((plan) => batches(plan.selection.remove).map((batch) => ({ service, action: 'BatchDeleteImage' as const, target: `${plan.name}: ${batch.join(', ')}` })));
  } catch (error) {
    reporter.warn(`${inputName('keep-images')}: could not find out which images are in use (${awsSaid(error)}); a real run would delete none.`);
    return [];
  }
}

function batches(digests: string[]): string[][] {
  const out: string[][] = [];
  for (let i = 0; i < digests.length; i += BATCH) out.push(digests.slice(i, i + BATCH));
  return out;
}

function keptText({ selection }: RepositoryPrune): string {
  const inUse = selection.inUse.map(({ digest, why }) => `\n  ${short(digest)}: ${why}`).join('');
  return `Kept the newest ${selection.keep}${selection.newest.length ? ` (${list(selection.newest)})` : ''}${inUse ? `, and in use:${inUse}` : ''}`;
}

function list(digests: string[]): string {
  return digests.length ? digests.map(short).join(', ') : 'none';
}

/** sha256:0123456789ab: enough to tell images apart in a log line. */
function short(digest: string): string {
  return digest.slice(0, 'sha256:'.length + 12);
}

/**
 * keep-images' request from the run: the repositories of the images its services now run (as ECS has the
 * revisions) and their families; for a dry run, from the plan, where an image to build is its repository
 * and takes one of the places.
 */
export function imagePruneRequest(plan: DeployPlan, runs?: ServiceRun[]): ImagePruneRequest {
  const shared = plan.services[0].inputs;
  const fromRuns = runs?.every((run) => run.registration);
  const images = fromRuns
    ? runs!.flatMap((run) => Object.values(run.registration!.images).filter((image): image is string => Boolean(image)))
    : plan.services.flatMap((s) => (s.preflight.preview.definition.containerDefinitions ?? []).map((c) => c.image ?? '').filter(Boolean));
  const families = fromRuns ? runs!.map((run) => familyOf(run.registration!.arn)!) : plan.services.map((s) => s.preflight.preview.definition.family!);
  const builds = plan.images.flatMap(({ plan: image }) => (image.kind === 'build' ? [image.repo] : []));
  const pendingPush = fromRuns ? undefined : ecrRepositories(builds, shared.awsRegion).map((r) => r.name);
  return { cluster: shared.cluster, region: shared.awsRegion, keep: shared.keepImages, families: [...new Set(families)], images: [...images, ...builds], pendingPush };
}
