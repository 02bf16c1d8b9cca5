import { createHash } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { REALISTIC_TIMING, startSimulator, type RecordedCall, type Simulator, type SimulatorOptions, type TaskScript, type TaskScriptContext, type Timing } from '../simulator';
import { webTemplate } from '../test/support/templates';
import { BENCH_CREDENTIALS, tempDir } from './process';

export const CLUSTER = 'prod';
export const SERVICE = 'web';
export const REPOSITORY = '123456789012.dkr.ecr.us-east-1.amazonaws.com/web';

/** ECS's minutes as seconds (the simulator's realistic profile); each scenario stretches the one phase its wait is made of. */
export const BASE_TIMING: Timing = { ...REALISTIC_TIMING, defaultTaskRunMs: 150 };

export interface WorldSpec {
  timing?: Partial<Timing>;
  desiredCount?: number;
  circuitBreaker?: { enable: boolean; rollback: boolean };
  task?: (context: TaskScriptContext) => TaskScript;
  /** The registry the simulator's ECR hands out (the build path). */
  ecrRegistry?: SimulatorOptions['ecrRegistry'];
}

export interface BenchWorld {
  sim: Simulator;
  dir: string;
  /** The inputs every run shares: the template, its variables, build: false. */
  inputs(image: string): Record<string, string>;
  close(): Promise<void>;
}

/** A Fargate service "web" in cluster "prod", steady on revision 1 (image :v1); a template for the next ones. */
export async function benchWorld(spec: WorldSpec = {}): Promise<BenchWorld> {
  const sim = await startSimulator({
    timing: { ...BASE_TIMING, ...spec.timing },
    ecrRegistry: spec.ecrRegistry,
    credentials: { [BENCH_CREDENTIALS.AWS_ACCESS_KEY_ID]: BENCH_CREDENTIALS.AWS_SECRET_ACCESS_KEY },
  });
  sim.addCluster(CLUSTER);
  // The images the scenarios deploy are in ECR, and the log group exists: the world a deploy can succeed in.
  for (const tag of ['v1', 'v2', 'broken']) sim.addImage('web', tag, `sha256:${createHash('sha256').update(tag).digest('hex')}`);
  sim.addLogGroup('/ecs/web');
  sim.addRole('web-execution');
  sim.addRole('web-task');
  const initial = webTemplate();
  initial.containerDefinitions[0].image = `${REPOSITORY}:v1`;
  initial.containerDefinitions[0].environment = [{ name: 'DB_HOST', value: 'db.internal' }];
  const initialArn = sim.addTaskDefinition(initial);
  sim.addService({
    cluster: CLUSTER,
    name: SERVICE,
    taskDefinition: initialArn,
    desiredCount: spec.desiredCount ?? 2,
    launchType: 'FARGATE',
    platformVersion: 'LATEST',
    networkConfiguration: { awsvpcConfiguration: { subnets: ['subnet-0a1b2c'], securityGroups: ['sg-0d4e5f'], assignPublicIp: 'DISABLED' } },
    circuitBreaker: spec.circuitBreaker ?? { enable: true, rollback: true },
  });
  if (spec.task) sim.scenario.task = spec.task;
  const dir = tempDir('ecs-ship-bench-');
  const template = join(dir, 'task-definition.json');
  writeFileSync(template, JSON.stringify(webTemplate(), null, 2));
  return {
    sim,
    dir,
    inputs: (image) => ({ cluster: CLUSTER, service: SERVICE, image, build: 'false', 'task-definition': template, vars: 'DB_HOST=db.internal' }),
    close: () => sim.close(),
  };
}

const READ = /^(Describe|List|Get|BatchGet)/;

export const isEcsRead = (call: RecordedCall) => call.service === 'ecs' && READ.test(call.action);
export const isLogRead = (call: RecordedCall) => call.service === 'logs' && call.action === 'GetLogEvents';

/** When the first call of `action` at or after `since` was received. */
export function firstCall(sim: Simulator, action: string, since = 0): number | undefined {
  return sim.calls.find((call) => call.action === action && call.time >= since)?.time;
}
