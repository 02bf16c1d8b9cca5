import { createHash } from 'node:crypto';
import type { Simulator, TaskScript, TaskScriptContext } from './types';

export const DEMO = {
  cluster: 'demo',
  repository: 'demo-app',
  family: 'demo-web',
  service: 'web',
  container: 'web',
  image: 'public.ecr.aws/docker/library/busybox:stable',
  logGroup: '/ecs/demo-web',
  /** Tags of the prebuilt demo images in the simulator's ECR: one that works, one that crashes after starting. */
  tags: ['demo', 'broken'],
};

const digestOf = (tag: string) => `sha256:${createHash('sha256').update(`ecs-ship demo image ${tag}`).digest('hex')}`;

/**
 * What demo tasks do: images whose reference mentions `broken` crash shortly after starting;
 * one-off tasks print their command and exit with the code of an `exit N` in it (default 0).
 */
export function demoTaskScript(context: TaskScriptContext): TaskScript {
  const containers: any[] = context.taskDefinition.containerDefinitions ?? [];
  const essential = containers.find((container) => container.essential !== false) ?? containers[0];
  if (/broken/.test(essential?.image ?? '')) {
    return { runMs: 400, exitCode: 1, logLines: ['Starting web server', 'Error: required configuration is missing'] };
  }
  if (context.startedBy === 'runTask') {
    const override = context.overrides?.containerOverrides?.find((o: any) => o.name === essential?.name);
    const command: string = (override?.command ?? essential?.command ?? []).join(' ');
    const exit = /\bexit (\d+)/.exec(command);
    return { logLines: [`$ ${command}`, 'Running one-off task', 'Done'], exitCode: exit ? Number(exit[1]) : 0 };
  }
  return { logLines: ['Starting web server', 'Listening on :8080'] };
}

export function seedDemo(sim: Simulator): void {
  sim.addCluster(DEMO.cluster);
  sim.addRepository(DEMO.repository);
  for (const tag of DEMO.tags) sim.addImage(DEMO.repository, tag, digestOf(tag));
  sim.addLogGroup(DEMO.logGroup);
  // The running revision's execution role, and the one examples/demo/task-definition.yaml names.
  sim.addRole('ecsTaskExecutionRole');
  sim.addRole('demo-web-execution');
  const taskDefinition = sim.addTaskDefinition({
    family: DEMO.family,
    requiresCompatibilities: ['FARGATE'],
    networkMode: 'awsvpc',
    cpu: '256',
    memory: '512',
    executionRoleArn: `arn:aws:iam::${sim.accountId}:role/ecsTaskExecutionRole`,
    containerDefinitions: [
      {
        name: DEMO.container,
        image: DEMO.image,
        essential: true,
        command: ['httpd', '-f', '-p', '8080'],
        portMappings: [{ containerPort: 8080, protocol: 'tcp' }],
        logConfiguration: {
          logDriver: 'awslogs',
          options: { 'awslogs-group': DEMO.logGroup, 'awslogs-region': sim.region, 'awslogs-stream-prefix': 'ecs' },
        },
      },
    ],
  });
  sim.addService({
    cluster: DEMO.cluster,
    name: DEMO.service,
    taskDefinition,
    desiredCount: 2,
    launchType: 'FARGATE',
    circuitBreaker: { enable: true, rollback: true },
    networkConfiguration: {
      awsvpcConfiguration: { subnets: ['subnet-0demo0000000000a1'], securityGroups: ['sg-0demo0000000000b1'], assignPublicIp: 'DISABLED' },
    },
  });
  sim.scenario.task = demoTaskScript;
}
