// `ecs-ship build`, read once: the images to build and push — the config file's (those it builds, in
// dependency order), or the one the inputs give — with every problem at once, before any change.
import { existsSync } from 'node:fs';
import { readInputs, type RawInputs } from '../inputs/parse';
import { INPUTS, type InputSpec } from '../inputs/schema';
import { inputName } from '../inputs/spelling';
import { InputError } from '../shared/errors';
import { imageRequest, validateImageRequest, type ImageRequest } from './image-request';
import { DEFAULT_CONFIG, readApp } from './read-request';

export interface BuildImage {
  /** The config file's images key, or the repository for the inputs' one image. */
  name: string;
  /** `IMAGE_<NAME>`: the build args of the images built after it get its reference. */
  placeholder?: string;
  request: ImageRequest;
}

export interface BuildRequest {
  file?: string;
  environment?: string;
  region: string;
  images: BuildImage[];
}

export async function readBuildRequest(raw: RawInputs, env: NodeJS.ProcessEnv): Promise<BuildRequest> {
  const given = (name: string) => (raw(specOf(name)) ?? '').trim();
  const file = given('config') || (existsSync(DEFAULT_CONFIG) ? DEFAULT_CONFIG : '');
  if (file) {
    const app = readApp(raw, env)!;
    const images = app.images.filter((image) => image.request.build).map(({ name, placeholder, request }) => ({ name, placeholder, request }));
    if (images.length === 0) throw new InputError([`${file}: none of its images is built (each has build: false); there is nothing to build.`]);
    return { file, environment: app.environment, region: app.shared.awsRegion, images };
  }
  // Without a config file, the image alone: no cluster or service to name.
  const read = readInputs(raw, env);
  const problems = read.problems.filter((problem) => !/^(cluster|service): required\b/.test(problem));
  const { request, problems: own } = imageRequest(read.inputs);
  if (!read.inputs.build) problems.push(`${inputName('build')}: false, but build builds and pushes the image: there is nothing to do. Expected ${inputName('image')} as a repository to push to.`);
  else if (!read.broken.has('image')) problems.push(...own, ...(await validateImageRequest(request)));
  if (problems.length > 0) throw new InputError(problems);
  const name = request.image.split('/').pop() ?? request.image;
  return { region: read.inputs.awsRegion, images: [{ name, request }] };
}

function specOf(name: string): InputSpec {
  return INPUTS.find((s) => s.name === name)!;
}
