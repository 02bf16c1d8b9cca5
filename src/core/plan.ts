import { DescribeTaskDefinitionCommand, type ContainerDefinition, type ECSClient, type RegisterTaskDefinitionCommandInput } from '@aws-sdk/client-ecs';
import { parseCommand } from '../inputs/argv';
import type { Inputs } from '../inputs/parse';
import { parseVarLines, readVarsFile } from '../inputs/vars';
import { loadTemplate, parseTaskDefinition } from '../taskdef/load';
import { buildLookup, renderTaskDefinition } from '../taskdef/render';
import { setImage } from '../taskdef/image';
import type { TaskDefinition } from '../taskdef/types';
import { InputError } from './errors';
import type { Target } from './preflight';

type Definition = RegisterTaskDefinitionCommandInput & TaskDefinition;

/** Everything that can be checked without AWS: checked first, so bad input has no side effect. */
export interface Plan {
  template?: Definition;
  lookup: (name: string) => string | undefined;
  migrationCommand: string[];
}

const IMAGE_PLACEHOLDER = /(^|[^$])\$\{IMAGE\}/;
const PREVIEW_IMAGE = 'image-to-be-deployed';

export async function preparePlan(inputs: Inputs, env: NodeJS.ProcessEnv): Promise<Plan> {
  const problems: string[] = [];
  const attempt = async <T>(work: () => T | Promise<T>): Promise<T | undefined> => {
    try {
      return await work();
    } catch (error) {
      if (!(error instanceof InputError)) throw error;
      problems.push(...error.problems);
      return undefined;
    }
  };
  const migrationCommand = (await attempt(() => parseCommand(inputs.migrationCommand, 'migration-command'))) ?? [];
  const vars = (await attempt(() => parseVarLines(inputs.vars, 'vars'))) ?? {};
  const fileVars = inputs.varsFile ? ((await attempt(() => readVarsFile(inputs.varsFile, 'vars-file'))) ?? {}) : {};
  const lookup = buildLookup([vars, fileVars, env as Record<string, string | undefined>]);
  const template = inputs.taskDefinition
    ? await attempt(async () => parseTaskDefinition(await loadTemplate(inputs.taskDefinition), inputs.taskDefinition) as Definition)
    : undefined;
  if (template) await attempt(() => render(template, lookup, PREVIEW_IMAGE, inputs));
  if (problems.length > 0) throw new InputError(problems);
  return { template, lookup, migrationCommand };
}

/** The definition to register: the template, or the one the service runs now, with the new image. */
export async function renderForDeploy(plan: Plan, inputs: Inputs, target: Target, image: string, ecs: ECSClient): Promise<Definition> {
  const base = plan.template ?? (await currentDefinition(ecs, target.service.taskDefinition));
  return render(base, plan.lookup, image, inputs);
}

function render(base: Definition, lookup: Plan['lookup'], image: string, inputs: Inputs): Definition {
  const placeholders = (name: string) => (name === 'IMAGE' ? image : lookup(name));
  const rendered = renderTaskDefinition(base, placeholders) as Definition;
  const withImage = (IMAGE_PLACEHOLDER.test(JSON.stringify(base)) ? rendered : setImage(rendered, image, inputs.containerName || undefined)) as Definition;
  const names = (withImage.containerDefinitions ?? []).map((c: { name?: string }) => c.name);
  const unknown = (
    [
      ['container-name', inputs.containerName],
      ['migration-container', inputs.migrationContainer],
    ] as const
  ).filter(([, name]) => name && !names.includes(name));
  if (unknown.length > 0) {
    throw new InputError(unknown.map(([input, name]) => `${input}: "${name}" is not a container of the task definition (containers: ${names.join(', ')}).`));
  }
  return withImage;
}

async function currentDefinition(ecs: ECSClient, arn: string): Promise<Definition> {
  const described = await ecs.send(new DescribeTaskDefinitionCommand({ taskDefinition: arn, include: ['TAGS'] }));
  return parseTaskDefinition(JSON.stringify({ taskDefinition: described.taskDefinition, tags: described.tags }), arn) as Definition;
}

/** The container whose command the migration overrides and whose exit code decides. */
export function migrationContainer(definition: Definition, inputs: Inputs): ContainerDefinition & { name: string } {
  const containers: ContainerDefinition[] = definition.containerDefinitions ?? [];
  const name = inputs.migrationContainer || inputs.containerName;
  const chosen = name ? containers.find((c) => c.name === name) : (containers.find((c) => c.essential !== false) ?? containers[0]);
  return chosen as ContainerDefinition & { name: string };
}
