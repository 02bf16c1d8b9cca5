import { clientException, invalidParameter, serviceNotFound } from '../errors';
import { isFargateSize, normalizeCpu, normalizeMemory } from './fargateSizes';
import type { SimState, TaskRecord } from '../state';
import { requireCluster } from './clusters';
import { paginate } from './pagination';
import { NO_CONTAINER_INSTANCES, resolvePlacement, validateNetworkConfiguration } from './placement';
import { requireRunnableTaskDefinition } from './taskDefinitions';
import { createTask, stopTask } from './taskLifecycle';
import { taskView } from './taskView';

const MAX_RUN_TASK_COUNT = 10;

function findTask(state: SimState, clusterName: string, reference: string): TaskRecord | undefined {
  const id = reference.slice(reference.lastIndexOf('/') + 1);
  return state.tasks.get(state.ecsArn(`task/${clusterName}/${id}`));
}

function validateOverrides(taskDefinition: any, overrides: any): void {
  const names = new Set((taskDefinition.containerDefinitions as any[]).map((c) => c.name));
  for (const override of overrides?.containerOverrides ?? []) {
    if (!names.has(override.name)) {
      throw invalidParameter(`Override for container named ${override.name} is not a container in the TaskDefinition.`);
    }
    for (const variable of override.environment ?? []) {
      if (!variable?.name) throw invalidParameter(`Container override for ${override.name}: an environment variable has no name.`);
    }
  }
  // A Fargate task's cpu and memory, overridden or not, are one of Fargate's sizes.
  if (overrides?.cpu === undefined && overrides?.memory === undefined) return;
  const cpu = normalizeCpu(overrides.cpu ?? taskDefinition.cpu);
  const memory = normalizeMemory(overrides.memory ?? taskDefinition.memory);
  if (!cpu || !memory || !isFargateSize(cpu, memory)) {
    throw clientException(`No Fargate configuration exists for given values: ${cpu} CPU, ${memory} memory. See the Amazon ECS documentation for the valid values.`);
  }
}

function runTask(state: SimState, input: any, now: number) {
  const cluster = requireCluster(state, input.cluster);
  const definition = requireRunnableTaskDefinition(state, input.taskDefinition).description;
  const count = input.count ?? 1;
  if (!Number.isInteger(count) || count < 1 || count > MAX_RUN_TASK_COUNT) {
    throw invalidParameter('count must be between 1 and 10.');
  }
  const placement = resolvePlacement(cluster, input, definition);
  if (placement.taskLaunchType !== 'FARGATE') throw invalidParameter(NO_CONTAINER_INSTANCES);
  validateNetworkConfiguration(definition, input.networkConfiguration);
  validateOverrides(definition, input.overrides);

  const scriptedFailures = state.scenario.runTaskFailures;
  if (scriptedFailures?.length) {
    return { tasks: [], failures: scriptedFailures.map((failure) => ({ ...failure })) };
  }

  const tasks = Array.from({ length: count }, () =>
    createTask(
      state,
      {
        clusterName: cluster.name,
        taskDefinition: definition,
        group: input.group ?? `family:${definition.family}`,
        startedBy: input.startedBy,
        launchType: placement.taskLaunchType,
        capacityProviderName: placement.capacityProviderName,
        platformVersion: placement.taskPlatformVersion,
        networkConfiguration: input.networkConfiguration,
        overrides: input.overrides,
        tags: input.tags,
        script: state.scenario.task?.({ startedBy: 'runTask', taskDefinition: definition, overrides: input.overrides }) ?? {},
        defaultRunMs: state.timing.defaultTaskRunMs,
      },
      now,
    ),
  );
  return { tasks: tasks.map((task) => taskView(state, task)), failures: [] };
}

function listTasks(state: SimState, input: any) {
  const cluster = requireCluster(state, input.cluster);
  const serviceName: string | undefined = input.serviceName?.slice(input.serviceName.lastIndexOf('/') + 1);
  if (serviceName && !state.services.has(`${cluster.name}/${serviceName}`)) throw serviceNotFound();
  const desiredStatus = input.desiredStatus ?? 'RUNNING';
  const arns = state
    .tasksOfCluster(cluster.name)
    .filter(
      (task) =>
        task.desiredStatus === desiredStatus &&
        (!serviceName || task.serviceName === serviceName) &&
        (!input.family || task.taskDefinition.family === input.family) &&
        (!input.startedBy || task.startedBy === input.startedBy) &&
        (!input.launchType || task.launchType === input.launchType),
    )
    .map((task) => task.arn);
  return paginate(arns, input, 'taskArns');
}

export const taskHandlers = {
  RunTask: runTask,

  ListTasks: (state: SimState, input: any) => listTasks(state, input),

  DescribeTasks(state: SimState, input: any) {
    const cluster = requireCluster(state, input.cluster);
    const references: string[] = input.tasks ?? [];
    if (references.length === 0) throw invalidParameter('Tasks cannot be empty.');
    if (references.length > 100) throw invalidParameter('Tasks cannot have more than 100 elements.');
    const tasks: any[] = [];
    const failures: any[] = [];
    for (const reference of references) {
      const task = findTask(state, cluster.name, reference);
      if (task) tasks.push(taskView(state, task));
      else {
        const arn = reference.startsWith('arn:') ? reference : state.ecsArn(`task/${cluster.name}/${reference}`);
        failures.push({ arn, reason: 'MISSING' });
      }
    }
    return { tasks, failures };
  },

  StopTask(state: SimState, input: any, now: number) {
    const cluster = requireCluster(state, input.cluster);
    const task = input.task ? findTask(state, cluster.name, input.task) : undefined;
    if (!task) throw invalidParameter('The referenced task was not found.');
    stopTask(state, task, now, 'UserInitiated', input.reason ?? 'Task stopped by user');
    return { task: taskView(state, task) };
  },
};
