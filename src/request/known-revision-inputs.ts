// task-definition-arn and redeploy, as inputs: what they cannot go with, checked before any AWS call.
import type { Inputs } from '../inputs/parse';
import { INPUTS } from '../inputs/schema';
import { inputName } from '../inputs/spelling';

const REVISION_ARN = /^arn:aws[\w-]*:ecs:([a-z0-9-]+):(\d{12}):task-definition\/([A-Za-z0-9_-]{1,255}):([1-9]\d*)$/;
const FAMILY_REVISION = /^([A-Za-z0-9_-]{1,255}):([1-9]\d*)$/;

/** Inputs that build an image or render a new definition: with a known revision they would do nothing. */
const BUILDING_OR_RENDERING = [
  'image',
  'build',
  'context',
  'dockerfile',
  'build-args',
  'target',
  'labels',
  'platform',
  'cache-from',
  'cache-to',
  'tags',
  'force-build',
  'task-definition',
  'vars',
  'vars-file',
  'secret-vars',
];


/** Problems of task-definition-arn that need no AWS: its shape, its region, and the inputs it cannot go with. */
export function knownRevisionProblems(inputs: Inputs): string[] {
  const reference = inputs.taskDefinitionArn;
  const problems: string[] = [];
  const arn = REVISION_ARN.exec(reference);
  if (!arn && !FAMILY_REVISION.test(reference)) {
    problems.push(`task-definition-arn: "${reference}" is not a task definition revision. Expected arn:aws:ecs:REGION:ACCOUNT:task-definition/FAMILY:REVISION or FAMILY:REVISION.`);
  } else if (arn && inputs.awsRegion && arn[1] !== inputs.awsRegion) {
    problems.push(`task-definition-arn: "${reference}" is in region ${arn[1]}, but the run uses ${inputs.awsRegion}. Expected a revision of the service's region.`);
  }
  for (const name of BUILDING_OR_RENDERING.filter(givenIn(inputs))) problems.push(conflict(name, 'builds or renders a new revision'));
  // container-name chooses the container that gets the image; here it can only choose the migration's.
  if (inputs.containerName && (!inputs.migrationCommand || inputs.migrationContainer)) {
    problems.push(conflict('container-name', 'chooses the container that gets the image; with a known revision it only chooses the migration container, when migration-container is not given'));
  }
  return problems;
}

function conflict(name: string, what: string): string {
  return `task-definition-arn: the existing revision is deployed as it is, so ${inputName(name)} (which ${what}) cannot be given with it. Leave out ${inputName(name)} or ${inputName('task-definition-arn')}.`;
}

/** Inputs a redeploy would ignore: it restarts the services on what they run. */
const IGNORED_BY_REDEPLOY = [...BUILDING_OR_RENDERING, 'container-name', 'migration-command', 'migration-container', 'task-definition-arn'];

/** A redeploy beside inputs it would ignore is refused: the run would say "deployed" and deploy none of them. */
export function redeployProblems(given: (name: string) => boolean): string[] {
  return IGNORED_BY_REDEPLOY.filter(given).map(
    (name) => `${inputName('redeploy')}: restarts each service on the revision it runs, so ${inputName(name)} would be ignored. Leave out ${inputName(name)}, or deploy without ${inputName('redeploy')}.`,
  );
}

/** Whether an input differs from its default: given, as far as the read inputs can tell. */
export function givenIn(inputs: Inputs): (name: string) => boolean {
  const values = inputs as unknown as Record<string, unknown>;
  return (name) => {
    const spec = INPUTS.find((s) => s.name === name)!;
    return String(values[name.replace(/-([a-z])/g, (_, c: string) => c.toUpperCase())]) !== (spec.default ?? '');
  };
}

