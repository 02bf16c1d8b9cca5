// keep-images, looked up: the ECR repositories of the images the run deploys, each one's images, and what
// still uses them — the ACTIVE revisions of the families the run deploys and the cluster's running tasks.
// Reads only; a lookup that fails throws (the caller warns and deletes nothing).
import type { AwsClients } from '../aws/clients';
import { repositoryImages } from '../aws/ecr';
import { runningTasks } from '../aws/ecs-tasks';
import { activeRevisions, describeTaskDefinition } from '../aws/task-definitions';
import { awsEcrAccount, awsEcrRegion, parseImageReference } from '../image/reference';
import { selectImages, type ImageInUse, type ImageSelection } from './image-selection';

export interface ImagePruneRequest {
  cluster: string;
  region: string;
  keep: number;
  /** The families the run deploys: their ACTIVE revisions keep their images. */
  families: string[];
  /** The image references the run deploys: their repositories are pruned, and they are kept. */
  images: string[];
  /** Repositories a build of this run would push a new image to first (a dry run): it takes one of the places. */
  pendingPush?: string[];
}

export interface RepositoryPrune {
  /** `registry/repository`, as images name it. */
  name: string;
  registryId: string;
  repositoryName: string;
  selection: ImageSelection;
}

/** Only ECR repositories of the run's own region: another registry is left alone. */
export function ecrRepositories(images: string[], region: string): Array<Omit<RepositoryPrune, 'selection'>> {
  const found = new Map<string, Omit<RepositoryPrune, 'selection'>>();
  for (const image of images) {
    let ref;
    try {
      ref = parseImageReference(image);
    } catch {
      continue;
    }
    const registryId = ref.registry && awsEcrAccount(ref.registry);
    if (!registryId || awsEcrRegion(ref.registry!) !== region) continue;
    const name = `${ref.registry}/${ref.repository}`;
    found.set(name, { name, registryId, repositoryName: ref.repository });
  }
  return [...found.values()];
}

export async function planImagePrune(aws: AwsClients, request: ImagePruneRequest): Promise<RepositoryPrune[]> {
  const repositories = ecrRepositories(request.images, request.region);
  if (repositories.length === 0) return [];
  const used = await imagesInUse(aws, request);
  const ecr = await aws.ecr();
  return Promise.all(
    repositories.map(async (repository) => {
      const images = await repositoryImages(ecr, { registryId: repository.registryId, repositoryName: repository.repositoryName });
      const own = used.filter((u) => u.repository === repository.name);
      const keep = request.pendingPush?.includes(repository.name) ? Math.max(0, request.keep - 1) : request.keep;
      return { ...repository, selection: selectImages(images, keep, own) };
    }),
  );
}

type Use = ImageInUse & { repository: string };

async function imagesInUse(aws: AwsClients, request: ImagePruneRequest): Promise<Use[]> {
  const uses: Use[] = request.images.flatMap((image) => useOf(image, 'this run deploys it'));
  for (const family of request.families) {
    for (const arn of await activeRevisions(aws.ecs, family)) {
      const { taskDefinition } = await describeTaskDefinition(aws.ecs, arn);
      const revision = arn.split('/').pop();
      for (const container of taskDefinition?.containerDefinitions ?? []) uses.push(...useOf(container.image, `revision ${revision} (ACTIVE) names it`));
    }
  }
  for (const task of await runningTasks(aws.ecs, request.cluster)) {
    const id = task.taskArn?.split('/').pop();
    for (const container of task.containers ?? []) {
      uses.push(...useOf(container.image, `running task ${id} runs it`));
      if (container.imageDigest && container.image) uses.push(...useOf(`${container.image.replace(/[@:][^/]*$/, '')}@${container.imageDigest}`, `running task ${id} runs it`));
    }
  }
  return uses;
}

function useOf(image: string | undefined, why: string): Use[] {
  if (!image) return [];
  try {
    const ref = parseImageReference(image);
    return [{ repository: `${ref.registry}/${ref.repository}`, digest: ref.digest, tag: ref.digest ? undefined : (ref.tag ?? 'latest'), why }];
  } catch {
    return [];
  }
}
