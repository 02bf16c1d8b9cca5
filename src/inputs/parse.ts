import { InputError } from '../shared/errors';
import { arnProblems } from './arns';
import { INPUTS, type InputSpec } from './schema';
import { isKnownRegion } from './known-region';
import { readWaitUntil, type WaitUntil } from './wait-until';

/** Raw text of an input as the front end found it; undefined when it was not given. */
export type RawInputs = (spec: InputSpec) => string | undefined;

export interface Inputs {
  cluster: string;
  service: string;
  /** The whole-app config file ('' : ecs-ship.yml when there is one). */
  config: string;
  environment: string;
  /** Names (list input) of the config file's services to deploy; '' for all. */
  services: string;
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
  /** The release tag ('' : the commit's). */
  tag: string;
  forceBuild: boolean;
  taskDefinition: string;
  containerName: string;
  vars: string;
  varsFile: string;
  /** Names (list input) of vars whose values are never printed. */
  secretVars: string;
  /** A whole app: the secret-vars of all its services, masked here too where this service defines them. */
  runSecretVars?: string[];
  migrationCommand: string;
  migrationContainer: string;
  migrationTimeoutMinutes: number;
  wait: boolean;
  waitTimeoutMinutes: number;
  /** How far the rollout is followed: stable, deployed, paused or a lifecycle stage. */
  waitUntil: WaitUntil;
  forceNewDeployment: boolean;
  /** Restart on the running revision: no build, no registration, no migration. */
  redeploy: boolean;
  maxTaskFailures: number;
  rollback: boolean;
  rollbackScope: 'all' | 'failed';
  /** Minutes to keep watching the new revision after its deployment succeeded (0: none). */
  bakeMinutes: number;
  stopMigrationOnCancel: boolean;
  /** Check what the task definition refers to before any change. */
  verify: boolean;
  dryRun: boolean;
  /** An existing revision to deploy as it is; '' when the run renders and registers one. */
  taskDefinitionArn: string;
  /** 0: keep every revision. */
  keepRevisions: number;
  /** 0: keep every image. */
  keepImages: number;
  /** false, true, or names (list input) of EventBridge rules and Scheduler schedules. */
  scheduledTasks: string;
  /** Where the JSON report goes; '' for the front end's default place. */
  reportFile: string;
  /** run: the one-off task's command (shell-like or JSON array). */
  taskCommand: string;
  /** run: the container overridden ('' : container-name, else the first essential one). */
  container: string;
  /** run: KEY=VALUE lines for the container's environment. */
  envVars: string;
  taskCpu: string;
  taskMemory: string;
  count: number;
  taskTimeoutMinutes: number;
  stopTaskOnCancel: boolean;
  awsRegion: string;
  /** continue: the PAUSE hook to answer ('' : the one ECS waits on). */
  hookId: string;
  /** rollback: StopServiceDeployment ABORT instead of ROLLBACK. */
  abort: boolean;
}

type Value = string | number | boolean;

/** What the AWS SDK takes as a region: one hostname label (us-east-1, us-gov-west-1); anything else it rejects mid-run. */
const REGION = /^(?!-)[A-Za-z0-9-]{1,63}(?<!-)$/;
const UNKNOWN_REGION = 'is not an AWS region: the regions the AWS SDK lists do not include it. Expected a region such as eu-west-1 (a region newer than this ecs-ship needs a newer ecs-ship).';

/** Required once the config file, if any, had its say. */
const REQUIRED = ['cluster', 'service'] as const;
const ROLLBACK_SCOPES = ['all', 'failed'];

export interface ReadInputs {
  /** An input that could not be read has its default here (or ''), so that checks of the others can run. */
  inputs: Inputs;
  problems: string[];
  /** The inputs that had a problem: checks that depend on them are not run. */
  broken: Set<string>;
}

/** Reads every input through the schema; all problems are reported together, each naming its input. */
export function readInputs(raw: RawInputs, env: NodeJS.ProcessEnv = process.env): ReadInputs {
  const problems: string[] = [];
  const broken = new Set<string>();
  const values: Record<string, Value> = {};
  const fail = (name: string, problem: string) => {
    problems.push(problem);
    broken.add(name);
  };
  for (const spec of INPUTS) {
    const text = (raw(spec) ?? '').trim() || (spec.default ?? '');
    const required = spec.required || (REQUIRED as readonly string[]).includes(spec.name);
    const parsed: Value | { problem: string } =
      required && text === '' ? { problem: `${spec.name}: required, but empty. Expected: ${spec.description.replace(/ Required\b.*$/, '')}` } : convert(spec, text);
    if (typeof parsed === 'object') fail(spec.name, parsed.problem);
    values[camelCase(spec.name)] = typeof parsed === 'object' ? fallback(spec) : parsed;
  }
  const inputs = values as unknown as Inputs;
  if (!ROLLBACK_SCOPES.includes(inputs.rollbackScope)) {
    fail('rollback-scope', `rollback-scope: expected all or failed, got "${inputs.rollbackScope}".`);
    inputs.rollbackScope = 'all';
  }
  const waitUntil = readWaitUntil(String(inputs.waitUntil));
  if ('problem' in waitUntil) {
    fail('wait-until', waitUntil.problem);
    inputs.waitUntil = 'stable';
  } else inputs.waitUntil = waitUntil.value;
  if (!inputs.wait && !['stable', 'deployed'].includes(inputs.waitUntil)) {
    fail('wait-until', `wait-until: ${inputs.waitUntil} needs a wait, but wait is false. Expected wait true (the default) with wait-until ${inputs.waitUntil}, or wait-until deployed.`);
  }
  const region = readRegion(inputs.awsRegion, env);
  inputs.awsRegion = region.value;
  if (region.problem) fail('aws-region', region.problem);
  else for (const { input, problem } of arnProblems(inputs.cluster, inputs.service, region.value, region.source)) fail(input, problem);
  return { inputs, problems, broken };
}

/** readInputs, throwing an InputError with every problem. */
export function parseInputs(raw: RawInputs, env: NodeJS.ProcessEnv = process.env): Inputs {
  const { inputs, problems } = readInputs(raw, env);
  if (problems.length > 0) throw new InputError(problems);
  return inputs;
}

function readRegion(given: string, env: NodeJS.ProcessEnv): { value: string; source: string; problem?: string } {
  if (given) {
    if (!REGION.test(given)) return { value: '', source: 'aws-region', problem: `aws-region: "${given}" is not a region name. Expected a region such as eu-west-1.` };
    return isKnownRegion(given) ? { value: given, source: 'aws-region' } : { value: '', source: 'aws-region', problem: `aws-region: "${given}" ${UNKNOWN_REGION}` };
  }
  const variable = env.AWS_REGION ? 'AWS_REGION' : env.AWS_DEFAULT_REGION ? 'AWS_DEFAULT_REGION' : undefined;
  if (!variable) return { value: '', source: '', problem: 'aws-region: not set, and neither AWS_REGION nor AWS_DEFAULT_REGION is. Expected a region such as eu-west-1.' };
  const value = env[variable]!.trim();
  if (!REGION.test(value)) {
    return { value: '', source: variable, problem: `aws-region: not set, and ${variable} is "${value}", which is not a region name. Expected a region such as eu-west-1.` };
  }
  if (!isKnownRegion(value)) return { value: '', source: variable, problem: `aws-region: not set, and ${variable} is "${value}", which ${UNKNOWN_REGION}` };
  return { value, source: variable };
}

function fallback(spec: InputSpec): Value {
  const parsed = convert(spec, spec.default ?? '');
  return typeof parsed === 'object' ? '' : parsed;
}

function convert(spec: InputSpec, text: string): Value | { problem: string } {
  switch (spec.type) {
    case 'boolean':
      if (/^true$/i.test(text)) return true;
      if (/^false$/i.test(text)) return false;
      return { problem: `${spec.name}: expected true or false, got "${text}".` };
    case 'number': {
      // Decimal notation only: Number() would also read "0x10" as 16 and "1e3" as 1000.
      const n = Number(text);
      if (!/^(\d+(\.\d*)?|\.\d+)$/.test(text) || n <= 0) return { problem: `${spec.name}: expected a positive number such as 30 or 0.5, got "${text}".` };
      return n;
    }
    case 'minutes': {
      if (!/^(\d+(\.\d*)?|\.\d+)$/.test(text)) return { problem: `${spec.name}: expected a number of minutes, 0 or more, such as 10 or 0.5, got "${text}".` };
      return Number(text);
    }
    case 'count': {
      // A count without a default is off when left empty.
      if (text === '' && spec.default === '') return 0;
      if (!/^\d+$/.test(text) || Number(text) < 1 || !Number.isSafeInteger(Number(text))) return { problem: `${spec.name}: expected a whole number of 1 or more, got "${text}".` };
      return Number(text);
    }
    default:
      return text;
  }
}

function camelCase(name: string): string {
  return name.replace(/-([a-z])/g, (_, c: string) => c.toUpperCase());
}
