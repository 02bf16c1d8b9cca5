// run: a one-off task with a service's settings — request → plan → execute (the one-off runner the
// migration uses too) → outcome. Its container's exit code is the exit-code output; a non-zero exit, a task
// that never starts or a timeout fails the step.
import { newLedger, type Ledger } from '../execute/ledger';
import { runOneOffTask, type OneOffWords } from '../execute/one-off-task';
import { phaseOf, redacted, type DeployDeps } from '../execute/run-deps';
import { inputName, withConfigFile } from '../inputs/spelling';
import { planRun } from '../plan/run-plan';
import { readRunRequest, type RunRequest } from '../request/run-request';
import type { Verb } from './verb';

const MINUTE = 60_000;

export const run: Verb = async (raw, env) => {
  const request = readRunRequest(raw, env);
  const { cluster, service, awsRegion } = request.inputs;
  const ledger = newLedger(cluster, service, awsRegion, env);
  ledger.verb = 'run';
  return { ledger, region: awsRegion, request: summary(request), execute: (deps) => withConfigFile(request.file, () => redacted(deps, (redactedDeps) => runTask(request, redactedDeps))) };
};

async function runTask(request: RunRequest, deps: DeployDeps): Promise<void> {
  const { inputs } = request;
  const phase = phaseOf(deps);
  const plan = await phase('Preflight', () => planRun(inputs, deps.aws));
  deps.reporter.info(`Service ${plan.target.service.serviceName} runs ${plan.target.service.taskDefinition}; the task runs ${plan.taskDefinitionArn}, container "${plan.container.name}".`);
  const ledger: Ledger = deps.record;
  const task = (ledger.task = { result: 'running' as const, container: plan.container.name, command: request.command, taskDefinitionArn: plan.taskDefinitionArn });
  deps.signal?.throwIfAborted();
  await phase('Task', () =>
    runOneOffTask(
      plan.target,
      {
        taskDefinitionArn: plan.taskDefinitionArn,
        command: request.command,
        container: plan.container,
        timeoutMs: inputs.taskTimeoutMinutes * MINUTE,
        stopOnCancel: inputs.stopTaskOnCancel,
        group: `ecs-ship-run:${plan.target.service.serviceName}`,
        environment: request.environmentVars,
        cpu: request.cpu,
        memory: request.memory,
        count: inputs.count,
      },
      runWords(),
      { ecs: deps.aws.ecs, logs: deps.aws.logs, reporter: deps.reporter, ledger, record: task, signal: deps.signal },
    ),
  );
  const started = task as { taskArn?: string; taskArns?: string[] };
  ledger.doneLine = `${started.taskArns ? `${started.taskArns.length} tasks` : `Task ${started.taskArn}`} of service ${plan.target.service.serviceName} exited 0.`;
  ledger.outcome = 'deployed';
}

/** How `ecs-ship run` speaks of its task (input names as the front end spells them). */
const runWords = (): OneOffWords => ({
  task: 'one-off task',
  what: 'one-off task',
  subject: 'The task',
  container: 'Container',
  log: 'task log',
  after: '',
  stopOnCancelInput: inputName('stop-task-on-cancel'),
  cancelledReason: 'ecs-ship: the run was cancelled',
});

function summary({ name, file, environment, inputs, command, environmentVars, cpu, memory }: RunRequest) {
  return { config: file, environment, service: name, cluster: inputs.cluster, ecsService: inputs.service, command, envVars: Object.keys(environmentVars), cpu, memory, count: inputs.count, taskDefinitionArn: inputs.taskDefinitionArn || undefined, container: inputs.container || inputs.containerName || undefined };
}
