import type { Inputs, ReadInputs } from '../inputs/parse';
import { validateImageRequest, type ImageRequest } from './image-request';
import { imageRequest } from './image-request';
import { knownRevisionProblems } from './known-revision-inputs';
import { parseServiceInputs, Problems, type ParsedInputs } from './parsed-inputs';
import { redactValues } from '../shared/secrets';

/**
 * Every check of the inputs that needs no AWS (the template, the vars, the migration command, the image
 * request), so that they are all reported together, before any AWS call. Checks that depend on a `broken`
 * input (one that could not even be read) are left out.
 */
export async function checkInputs(inputs: Inputs, env: NodeJS.ProcessEnv, problems: Problems, broken: Set<string> = new Set()): Promise<{ plan: ParsedInputs; image: ImageRequest }> {
  const image = imageRequest(inputs);
  // A redeploy starts a new deployment of what runs: nothing is built, rendered or migrated.
  if (inputs.redeploy) return { plan: { lookup: () => undefined, migrationCommand: [], secretVars: [] }, image: image.request };
  const plan = await parseServiceInputs(inputs, env, problems);
  if (inputs.taskDefinitionArn) problems.list.push(...knownRevisionProblems(inputs));
  else if (!broken.has('image') && !broken.has('build')) problems.list.push(...image.problems, ...(await validateImageRequest(image.request)));
  return { plan, image: image.request };
}

/** When reading the inputs found problems: those, and what checkInputs finds in the others, in one list. */
export async function allInputProblems({ inputs, problems, broken }: ReadInputs, env: NodeJS.ProcessEnv): Promise<string[]> {
  const more = new Problems();
  const { plan } = await checkInputs(inputs, env, more, broken);
  const secrets = plan.secretVars.map((v) => v.value);
  return [...problems, ...more.list].map((problem) => redactValues(problem, secrets));
}
