import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { webTemplate } from '../test/support/templates';
import { runAction } from './process';
import { benchWorld, CLUSTER, SERVICE, BASE_TIMING } from './world';

/** A deploy that cannot start: what the new revision lacks. */
const CASES = {
  'missing image': { image: '123456789012.dkr.ecr.us-east-1.amazonaws.com/web:never-pushed' },
  'missing secret': { secrets: [{ name: 'API_KEY', valueFrom: 'arn:aws:secretsmanager:us-east-1:123456789012:secret:prod/web/api-key-AbCdEf' }] },
  'missing log group': { logGroup: '/ecs/nobody-made-this' },
} as const;

export type VerdictCase = keyof typeof CASES;

export interface VerdictSample {
  case: VerdictCase;
  verify: boolean;
  code: number | null;
  /** Spawn to exit, in ms. */
  ms: number;
  mutatingCalls: string[];
  /** Whether the service still runs its revision when the run ends. */
  serviceUnchanged: boolean;
}

/**
 * The same deploy, once with verification (it stops in preflight) and once without (ECS starts the
 * tasks, they fail, the circuit breaker gives up and rolls back) on the realistic timing. One at a time.
 */
export async function measureVerdicts(action: string): Promise<VerdictSample[]> {
  const samples: VerdictSample[] = [];
  for (const name of Object.keys(CASES) as VerdictCase[]) {
    for (const verify of [true, false]) samples.push(await measureVerdict(action, name, verify));
  }
  return samples;
}

async function measureVerdict(action: string, name: VerdictCase, verify: boolean): Promise<VerdictSample> {
  const world = await benchWorld({ timing: BASE_TIMING, circuitBreaker: { enable: true, rollback: true } });
  try {
    const spec: { image?: string; secrets?: ReadonlyArray<{ name: string; valueFrom: string }>; logGroup?: string } = CASES[name];
    const template = webTemplate();
    const web = template.containerDefinitions[0];
    if (spec.secrets) web.secrets = spec.secrets;
    if (spec.logGroup) web.logConfiguration.options['awslogs-group'] = spec.logGroup;
    const path = join(world.dir, 'cannot-start.json');
    writeFileSync(path, JSON.stringify(template, null, 2));
    const before = world.sim.service(CLUSTER, SERVICE).taskDefinition;
    const inputs = { ...world.inputs(spec.image ?? `123456789012.dkr.ecr.us-east-1.amazonaws.com/web:v2`), 'task-definition': path, verify: String(verify) };
    const run = await runAction(action, inputs, world.sim.url, world.dir);
    return {
      case: name,
      verify,
      code: run.code,
      ms: run.exitedAt - run.spawnedAt,
      mutatingCalls: world.sim.mutatingCalls(),
      serviceUnchanged: world.sim.service(CLUSTER, SERVICE).taskDefinition === before,
    };
  } finally {
    await world.close();
  }
}

/** A simulated ECS second takes this many real milliseconds on the benchmark's timing. */
export const SIMULATED_SECOND_MS = BASE_TIMING.secondMs;
