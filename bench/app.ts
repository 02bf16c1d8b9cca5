// The whole app: one run of 1 to 50 services from one config file. Wall time, ECS reads per minute against
// the one-service run of the same world (the reads in turns keep them flat), how long after the last
// service's rollout completed the run ended, and the pre-check's lookups (each resource once).
import { createHash } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { startSimulator, type RecordedCall } from '../simulator';
import { webTemplate } from '../test/support/templates';
import { BENCH_CREDENTIALS, runAction, tempDir } from './process';
import { summary } from './stats';
import { APP_TARGETS, ONCE_PER_SERVICE } from './targets';
import { BASE_TIMING, CLUSTER, isEcsRead, REPOSITORY } from './world';

export interface AppSample {
  services: number;
  ok: boolean;
  wallMs: number;
  ecsReads: number;
  ecsReadsPerMinute: number;
  /** The reads by action, to see where they go. */
  byAction: Record<string, number>;
  /** The reads of the waits (DescribeServices, DescribeServiceDeployments) per minute: what the turns keep flat. */
  pollReadsPerMinute: number;
  /** From the last service's rollout COMPLETED (simulator clock) to the process exit. */
  lastEndToExitMs: number;
  /** Per service: from its rollout COMPLETED to the first DescribeServices that read it. */
  detectMs: { p50: number; p95: number; max: number };
  /** The pre-check's lookups (verify), by action: every service refers to the same image, roles and log group, and to a parameter of its own. */
  precheck: Record<string, number>;
}

const POLL_READS = ['DescribeServices', 'DescribeServiceDeployments'];
const PRECHECK = ['GetRole', 'DescribeImages', 'DescribeLogGroups', 'DescribeParameters', 'DescribeSecret'];

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
      const template: Record<string, any> = { ...webTemplate(), family: name };
      template.containerDefinitions[0].secrets = [{ name: 'DB_PASSWORD', valueFrom: `/app/${name}/db-password` }];
      sim.addParameter(`/app/${name}/db-password`, 'not-a-real-password', 'SecureString');
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
    const calls = sim.calls.filter((call) => call.time >= run.spawnedAt && call.time <= run.exitedAt);
    const during = calls.filter(isEcsRead);
    const byAction = countBy(during);
    const wallMs = run.exitedAt - run.spawnedAt;
    const polls = during.filter((call) => POLL_READS.includes(call.action)).length;
    const perMinute = (reads: number) => (reads * 60_000) / wallMs;
    const ends = names.map((name) => {
      const id = (sim.service(CLUSTER, name).deployments as Array<{ id: string }>)[0]?.id;
      const end = sim.transitions.find((t) => t.kind === 'deployment-completed' && t.id === id)?.time ?? NaN;
      const read = calls.find((call) => call.action === 'DescribeServices' && call.time >= end && (call.input?.services ?? []).some((s: string) => s === name || s.endsWith(`/${name}`)));
      return { end, detectMs: (read?.time ?? NaN) - end };
    });
    const lastEnd = Math.max(...ends.map((e) => e.end));
    const detect = summary(ends.map((e) => e.detectMs));
    return {
      services: count,
      ok: run.code === 0,
      wallMs,
      ecsReads: during.length,
      ecsReadsPerMinute: perMinute(during.length),
      byAction,
      pollReadsPerMinute: perMinute(polls),
      lastEndToExitMs: run.exitedAt - lastEnd,
      detectMs: { p50: detect.p50, p95: detect.p95, max: detect.max },
      precheck: countBy(calls.filter((call) => PRECHECK.includes(call.action))),
    };
  } finally {
    await sim.close();
  }
}

function countBy(calls: RecordedCall[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const call of calls) counts[call.action] = (counts[call.action] ?? 0) + 1;
  return counts;
}

const mark = (ok: boolean) => (ok ? 'met' : 'MISSED');

/** The figures, each size against one service: wall time ×, reads per minute ×, the end noticed, the pre-check's calls. */
export function appFigures(samples: AppSample[]): string {
  const one = samples.find((s) => s.services === 1);
  if (!one) return 'Whole app: not measured (--apps without 1)';
  const t = APP_TARGETS;
  const s1 = (ms: number) => (ms / 1000).toFixed(2);
  const rows = samples.map(
    (s) =>
      `| ${s.services} | ${s.ok ? 'deployed' : 'FAILED'} | ${(s.wallMs / 1000).toFixed(1)} s | ${(s.wallMs / one.wallMs).toFixed(2)}× | ${s.ecsReads} | ${s.ecsReadsPerMinute.toFixed(1)} | ${(s.ecsReadsPerMinute / one.ecsReadsPerMinute).toFixed(2)}× | ` +
      `${s.pollReadsPerMinute.toFixed(1)} | ${(s.pollReadsPerMinute / one.pollReadsPerMinute).toFixed(2)}× | ${s1(s.lastEndToExitMs)} s | ${s1(s.detectMs.p50)} / ${s1(s.detectMs.p95)} s |`,
  );
  const worst = (value: (s: AppSample) => number) => Math.max(...samples.map(value));
  const readsRatio = worst((s) => s.ecsReadsPerMinute / one.ecsReadsPerMinute);
  const wallRatio = worst((s) => s.wallMs / one.wallMs);
  const lastEnd = worst((s) => s.lastEndToExitMs) / 1000;
  const precheck = samples.map((s) => `${s.services} service${s.services === 1 ? '' : 's'}: ${PRECHECK.map((action) => `${action} ${s.precheck[action] ?? 0}`).join(', ')}`);
  return [
    'Whole app (one config file, every service rolled out at once)',
    '| services | outcome | wall time | × one | ECS reads | reads/min | × one | wait reads/min | × one | last end → exit | each end → read p50 / p95 |',
    '|---|---|---|---|---|---|---|---|---|---|---|',
    ...rows,
    `  target: all ECS reads ≤ ${t.readsRatio}× one service's a minute at every size: ${readsRatio.toFixed(2)}× (${mark(samples.every((s) => s.ok) && readsRatio <= t.readsRatio)})`,
    `  target: wall time ≤ ${t.wallRatio}× one service's: ${wallRatio.toFixed(2)}× (${mark(wallRatio <= t.wallRatio)}); the last rollout's end noticed (its COMPLETED → exit) ≤ ${t.lastEndToExitS} s: ${lastEnd.toFixed(2)} s (${mark(lastEnd <= t.lastEndToExitS)})`,
    `  (what grows with the services: ${ONCE_PER_SERVICE})`,
    `Pre-check (verify) calls, each resource looked up once, SSM parameters 10 a call: ${precheck.join('; ')}`,
  ].join('\n');
}
