// The release tag: an image deployed without a build and without a tag or digest takes `tag` (default: the
// commit's tag), so that `deploy --tag 1.0.0` deploys what `build --tag 1.0.0` pushed, and a prebuilt
// image needs no commit written into ecs-ship.yml. Read once, with the request: the plan verifies the
// tagged reference (a tag the registry does not have is refused there, before any change).
import { resolve } from 'node:path';
import { commitTag, resolveCommit } from '../image/commit';
import { isValidTag, parseImageReference } from '../image/reference';
import { inputName, setting } from '../inputs/spelling';

export interface Untagged {
  image: string;
  build: boolean;
  /** The tag input; '' for the commit's. */
  tag: string;
  context: string;
}

/** The reference to deploy, or the problem (naming its input) when the tag cannot be told. */
export async function withReleaseTag({ image, build, tag, context }: Untagged, env: NodeJS.ProcessEnv): Promise<{ image: string; problem?: string }> {
  const trimmed = image.trim();
  if (build || trimmed === '' || (tag && !isValidTag(tag))) return { image };
  let parsed;
  try {
    parsed = parseImageReference(trimmed);
  } catch {
    return { image }; // the image's own problem is said where the request is checked
  }
  if (parsed.tag || parsed.digest) return { image };
  if (tag) return { image: `${trimmed}:${tag}` };
  try {
    return { image: `${trimmed}:${commitTag(await resolveCommit(env, resolve(context || '.')))}` };
  } catch (error) {
    return {
      image,
      problem: `image: "${trimmed}" has no tag or digest, and with ${setting('build', false)} it takes ${inputName('tag')}, which is empty, or the commit's tag, which cannot be told (${(error as Error).message}). Expected ${inputName('tag')}, or a reference with a tag or digest.`,
    };
  }
}
