// `ecs-ship run [SERVICE] -- COMMAND [ARGS…]`, read once: which service (a service of the config file, its
// environment's settings applied; or the cluster and service given), the command, the task's overrides, and
// the image the task runs when one is given (built, reused or as is, as for deploy). Every problem at once,
// each naming its input, before any AWS call.
import { parseKeyValueLines } from '../image/lines';
import { parseCommand } from '../inputs/argv';
import { readInputs, type Inputs, type RawInputs } from '../inputs/parse';
import { INPUTS, type InputSpec } from '../inputs/schema';
import { inputName } from '../inputs/spelling';
import { InputError } from '../shared/errors';
import { DEFAULT_CONFIG, readApp } from './read-request';
import { existsSync } from 'node:fs';
import { parseList } from '../image/lines';
import { IMAGE_KEYS } from '../config/config-keys';
import { imageRequest, validateImageRequest, type ImageRequest } from './image-request';
import { givenIn } from './known-revision-inputs';
import { withReleaseTag } from './release-tag';

/** RunTask starts at most 10 tasks a call. */
const MAX_COUNT = 10;
const CPU = /^(\d+|\d+(\.\d+)?\s*vcpu)$/i;
const MEMORY = /^(\d+|\d+(\.\d+)?\s*gb)$/i;

export interface RunRequest {
  /** The service's name in the config file, or the ECS service. */
  name: string;
  file?: string;
  environment?: string;
  inputs: Inputs;
  command: string[];
  environmentVars: Record<string, string>;
  cpu?: string;
  memory?: string;
  /** The image the task runs (image given): planned as deploy plans it, in a new revision of the service's definition. */
  image?: ImageRequest;
}

export async function readRunRequest(raw: RawInputs, env: NodeJS.ProcessEnv): Promise<RunRequest> {
  const given = (name: string) => (raw(specOf(name)) ?? '').trim();
  const file = given('config') || (existsSync(DEFAULT_CONFIG) ? DEFAULT_CONFIG : '');
  const named = parseList(given('services'));
  if (named.length > 1) throw new InputError([`${inputName('services')}: run takes one service, got ${named.join(', ')}. Expected ecs-ship run SERVICE -- COMMAND.`]);
  let inputs: Inputs;
  let name: string;
  let environment: string | undefined;
  const problems: string[] = [];
  if (file) {
    // The config file's images are deploy's: run takes its image from the inputs alone.
    const imageInputs = IMAGE_KEYS.filter((key) => given(key));
    if (imageInputs.length > 0) {
      throw new InputError(imageInputs.map((key) => `${inputName(key)}: run takes an image only without a config file (${file}); with one, the task runs the revision its service runs. Leave out ${inputName(key)}, or deploy the image first.`));
    }
    if (named.length === 0) throw new InputError([`${inputName('services')}: run needs the service of ${file} whose settings the task takes. Expected ecs-ship run SERVICE -- COMMAND.`]);
    const app = readApp(raw, env)!;
    [{ inputs, name }] = app.services;
    environment = app.environment;
  } else {
    // Without a config file, SERVICE is the ECS service.
    const read = readInputs((spec) => (spec.name === 'service' && !given('service') && named.length ? named[0] : raw(spec)), env);
    problems.push(...read.problems);
    inputs = read.inputs;
    name = inputs.service;
  }
  const command = attempt(problems, () => parseCommand(inputs.taskCommand, 'task-command')) ?? [];
  if (inputs.taskCommand.trim() === '') problems.push(`${inputName('task-command')}: required: the command the task runs. Expected ecs-ship run SERVICE -- COMMAND [ARGS…], or a command such as "rake db:seed" or ["rake", "db:seed"].`);
  const vars = parseKeyValueLines(inputs.envVars, 'env-vars');
  problems.push(...vars.problems);
  if (inputs.count > MAX_COUNT) problems.push(`${inputName('count')}: at most ${MAX_COUNT} tasks a run (RunTask's limit), got ${inputs.count}.`);
  if (inputs.taskCpu && !CPU.test(inputs.taskCpu)) problems.push(`${inputName('task-cpu')}: expected cpu units such as 1024, or 1 vCPU; got "${inputs.taskCpu}".`);
  if (inputs.taskMemory && !MEMORY.test(inputs.taskMemory)) problems.push(`${inputName('task-memory')}: expected MiB such as 2048, or 2 GB; got "${inputs.taskMemory}".`);
  const image = file ? undefined : await imageOf(inputs, env, problems);
  if (problems.length > 0) throw new InputError(problems);
  return { name, file: file || undefined, environment, inputs, command, environmentVars: vars.values, cpu: inputs.taskCpu || undefined, memory: inputs.taskMemory || undefined, image };
}

/**
 * The image the task runs, when image is given: checked as deploy checks it (an image without a tag or digest
 * and build false takes the release tag). Not beside task-definition-arn, which is run as it is; the build
 * settings without image would build nothing.
 */
async function imageOf(inputs: Inputs, env: NodeJS.ProcessEnv, problems: string[]): Promise<ImageRequest | undefined> {
  const given = givenIn(inputs);
  if (!inputs.image.trim()) {
    for (const key of IMAGE_KEYS.filter((key) => key !== 'image' && given(key))) {
      problems.push(`${inputName(key)}: a build setting, but ${inputName('image')} is not given, so the task runs the service's revision as it is and nothing is built. Give ${inputName('image')}, or leave out ${inputName(key)}.`);
    }
    return undefined;
  }
  if (inputs.taskDefinitionArn) {
    problems.push(`${inputName('image')} and ${inputName('task-definition-arn')}: the task runs either an existing revision as it is (${inputName('task-definition-arn')}) or a new revision of the service's with the image (${inputName('image')}), not both. Leave out one of them.`);
    return undefined;
  }
  const tagged = await withReleaseTag(inputs, env);
  if (tagged.problem) problems.push(tagged.problem);
  const { request, problems: own } = imageRequest({ ...inputs, image: tagged.image });
  problems.push(...own, ...(await validateImageRequest(request)));
  return request;
}

function attempt<T>(problems: string[], read: () => T): T | undefined {
  try {
    return read();
  } catch (error) {
    if (!(error instanceof InputError)) throw error;
    problems.push(...error.problems);
    return undefined;
  }
}

function specOf(name: string): InputSpec {
  return INPUTS.find((s) => s.name === name)!;
}
