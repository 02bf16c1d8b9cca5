// The whole app: one run of 1, 3 and 10 services from one config file. Wall time, and ECS reads per
// minute, against the one-service run of the same world: the shared reads keep both nearly flat.
import { createHash } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { startSimulator } from '../simulator';
import { webTemplate } from '../test/support/templates';
import { BENCH_CREDENTIALS, runAction, tempDir } from './process';
import { BASE_TIMING, CLUSTER, isEcsRead, REPOSITORY } from './world';

export interface AppSample {
  services: number;
  ok: boolean;
  wallMs: number;
  ecsReads: number;
  ecsReadsPerMinute: number;
  /** The reads by action, to see where they go. */
  byAction: Record<string, number>;
  /** The reads of the waits (DescribeServices, DescribeServiceDeployments) per minute: what the shared reads keep flat. */
  pollReadsPerMinute: number;
}

const POLL_READS = ['DescribeServices', 'DescribeServiceDeployments'];

const NETWORK = { awsvpcConfiguration: { subnets: ['subnet-0a1b2c'], securityGroups: ['sg-0d4e5f'], assignPublicIp: 'DISABLED' } };

/** One deploy of `count` services (each 2 tasks) whose new tasks must run healthy for `waitMs` before ECS calls them stable. */
export async function measureApp(action: string, count: number, waitMs: number): Promise<AppSample> {
  const sim = await startSimulator({ timing: { ...BASE_TIMING, stabilizeMs: waitMs }, credentials: { [BENCH_CREDENTIALS.AWS_ACCESS_KEY_ID]: BENCH_CREDENTIALS.AWS_SECRET_ACCESS_KEY } });
  try {
    sim.addCluster(CLUSTER);
    for (const tag of ['v1', 'v2']) sim.addImage('web', tag, `sha256:${createHash('sha256').update(tag).digest('hex')}`);
    sim.addLogGroup('/ecs/web');
    sim.addRole('web-execution');
    sim.addRole('web-task');
    const dir = tempDir('ecs-ship-bench-app-');
    const names = Array.from({ length: count }, (_, i) => `svc-${i}`);
    for (const name of names) {
      const template = { ...webTemplate(), family: name };
      writeFileSync(join(dir, `${name}.json`), JSON.stringify(template));
      const initial = webTemplate();
      initial.family = name;
      initial.containerDefinitions[0].image = `${REPOSITORY}:v1`;
      initial.containerDefinitions[0].environment = [{ name: 'DB_HOST', value: 'db.internal' }];
      const arn = sim.addTaskDefinition(initial);
      sim.addService({ cluster: CLUSTER, name, taskDefinition: arn, desiredCount: 2, launchType: 'FARGATE', platformVersion: 'LATEST', networkConfiguration: NETWORK, circuitBreaker: { enable: true, rollback: true } });
    }
    const config = {
      cluster: CLUSTER,
      vars: { DB_HOST: 'db.internal' },
      images: { app: { image: `${REPOSITORY}:v2`, build: false } },
      services: Object.fromEntries(names.map((name) => [name, { 'task-definition': join(dir, `${name}.json`), image: 'app' }])),
    };
    const file = join(dir, 'ecs-ship.yml');
    writeFileSync(file, stringify(config));
    const run = await runAction(action, { config: file }, sim.url, dir);
    const during = sim.calls.filter((call) => isEcsRead(call) && call.time >= run.spawnedAt && call.time <= run.exitedAt);
    const byAction: Record<string, number> = {};
    for (const call of during) byAction[call.action] = (byAction[call.action] ?? 0) + 1;
    const wallMs = run.exitedAt - run.spawnedAt;
    const polls = during.filter((call) => POLL_READS.includes(call.action)).length;
    const perMinute = (reads: number) => (reads * 60_000) / wallMs;
    return { services: count, ok: run.code === 0, wallMs, ecsReads: during.length, ecsReadsPerMinute: perMinute(during.length), byAction, pollReadsPerMinute: perMinute(polls) };
  } finally {
    await sim.close();
  }
}

/** The figures, each size against one service: wall time ×, reads per minute ×. */
export function appFigures(samples: AppSample[]): string {
  const one = samples.find((s) => s.services === 1)!;
  const rows = samples.map(
    (s) =>
      `| ${s.services} | ${s.ok ? 'deployed' : 'FAILED'} | ${(s.wallMs / 1000).toFixed(1)} s | ${(s.wallMs / one.wallMs).toFixed(2)}× | ${s.ecsReads} | ${s.ecsReadsPerMinute.toFixed(1)} | ${(s.ecsReadsPerMinute / one.ecsReadsPerMinute).toFixed(2)}× | ${s.pollReadsPerMinute.toFixed(1)} | ${(s.pollReadsPerMinute / one.pollReadsPerMinute).toFixed(2)}× |`,
  );
  return [
    'Whole app (one config file, every service rolled out at once; targets: 10 services ≤ 1.3× the wall time and ≤ 1.2× the ECS reads per minute of one)',
    '(every service also costs one DescribeTaskDefinition, for reuse, and one ListServiceDeployments, to find its record: the wait reads are shared)',
    '| services | outcome | wall time | × one | ECS reads | reads/min | × one | wait reads/min | × one |',
    '|---|---|---|---|---|---|---|---|---|',
    ...rows,
  ].join('\n');
}
