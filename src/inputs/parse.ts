import { InputError } from '../core/errors';
import { INPUTS, type InputSpec } from './schema';

/** Raw text of an input as the front end found it; undefined when it was not given. */
export type RawInputs = (spec: InputSpec) => string | undefined;

export interface Inputs {
  cluster: string;
  service: string;
  image: string;
  build: boolean;
  context: string;
  dockerfile: string;
  buildArgs: string;
  target: string;
  labels: string;
  platform: string;
  cacheFrom: string;
  cacheTo: string;
  tags: string;
  forceBuild: boolean;
  taskDefinition: string;
  containerName: string;
  vars: string;
  varsFile: string;
  /** Names (list input) of vars whose values are never printed. */
  secretVars: string;
  migrationCommand: string;
  migrationContainer: string;
  migrationTimeoutMinutes: number;
  wait: boolean;
  waitTimeoutMinutes: number;
  forceNewDeployment: boolean;
  maxTaskFailures: number;
  rollback: boolean;
  stopMigrationOnCancel: boolean;
  dryRun: boolean;
  awsRegion: string;
}

type Value = string | number | boolean;

/** What the AWS SDK takes as a region: one hostname label (us-east-1, us-gov-west-1); anything else it rejects mid-run. */
const REGION = /^(?!-)[A-Za-z0-9-]{1,63}(?<!-)$/;

/** Reads every input through the schema; all problems are reported together, each naming its input. */
export function parseInputs(raw: RawInputs, env: NodeJS.ProcessEnv = process.env): Inputs {
  const problems: string[] = [];
  const values: Record<string, Value> = {};
  for (const spec of INPUTS) {
    const text = (raw(spec) ?? '').trim() || (spec.default ?? '');
    if (spec.required && text === '') {
      problems.push(`${spec.name}: required, but empty. Expected: ${spec.description}`);
      continue;
    }
    const parsed = convert(spec, text);
    if (typeof parsed === 'object') problems.push(parsed.problem);
    else values[camelCase(spec.name)] = parsed;
  }
  const inputs = values as unknown as Inputs;
  if (inputs.awsRegion && !REGION.test(inputs.awsRegion)) {
    problems.push(`aws-region: "${inputs.awsRegion}" is not a region name. Expected a region such as eu-west-1.`);
  }
  if (problems.length === 0 && !inputs.awsRegion) {
    const variable = env.AWS_REGION ? 'AWS_REGION' : env.AWS_DEFAULT_REGION ? 'AWS_DEFAULT_REGION' : undefined;
    inputs.awsRegion = variable ? env[variable]!.trim() : '';
    if (!variable) problems.push('aws-region: not set, and neither AWS_REGION nor AWS_DEFAULT_REGION is. Expected a region such as eu-west-1.');
    else if (!REGION.test(inputs.awsRegion)) problems.push(`aws-region: not set, and ${variable} is "${inputs.awsRegion}", which is not a region name. Expected a region such as eu-west-1.`);
  }
  if (problems.length > 0) throw new InputError(problems);
  return inputs;
}

function convert(spec: InputSpec, text: string): Value | { problem: string } {
  switch (spec.type) {
    case 'boolean':
      if (/^true$/i.test(text)) return true;
      if (/^false$/i.test(text)) return false;
      return { problem: `${spec.name}: expected true or false, got "${text}".` };
    case 'number': {
      const n = Number(text);
      if (text === '' || !Number.isFinite(n) || n <= 0) return { problem: `${spec.name}: expected a positive number, got "${text}".` };
      return n;
    }
    default:
      return text;
  }
}

function camelCase(name: string): string {
  return name.replace(/-([a-z])/g, (_, c: string) => c.toUpperCase());
}
