// run: a one-off task with a service's settings — request → plan → execute (with an image: the image
// phase and a registration, as a deploy's; then the one-off runner the migration uses too) → outcome. Its
// container's exit code is the exit-code output; a non-zero exit, a task that never starts or a timeout fails
// the step. The service is never updated.
import { carryOutImage } from '../execute/images';
import { newLedger, type Ledger } from '../execute/ledger';
import { runOneOffTask, type OneOffWords } from '../execute/one-off-task';
import { registerOrReuse } from '../execute/register';
import { phaseOf, redacted, type DeployDeps } from '../execute/run-deps';
import { shortArn } from '../inputs/arns';
import { inputName, withConfigFile } from '../inputs/spelling';
import { unknownAccount, type ImageDeps } from '../plan/image-plan';
import { planRun, type RunPlan } from '../plan/run-plan';
import { readRunRequest, type RunRequest } from '../request/run-request';
import { setImage } from '../taskdef/image';
import type { Definition } from '../taskdef/types';
import type { Verb } from './verb';

const MINUTE = 60_000;

export const run: Verb = async (raw, env) => {
  const request = await readRunRequest(raw, env);
  const { cluster, service, awsRegion } = request.inputs;
  const ledger = newLedger(cluster, service, awsRegion, env);
  ledger.verb = 'run';
  return { ledger, region: awsRegion, request: summary(request), execute: (deps) => withConfigFile(request.file, () => redacted(deps, (redactedDeps) => runTask(request, redactedDeps))) };
};

async function runTask(request: RunRequest, deps: DeployDeps): Promise<void> {
  const { inputs } = request;
  const phase = phaseOf(deps);
  const plan = await phase('Preflight', () => planRun(inputs, deps.aws, request.image && { request: request.image, deps: () => imageDeps(deps) }));
  const ledger: Ledger = deps.record;
  const runs = plan.image ? await revisionWithImage(plan, plan.image, deps) : { arn: plan.taskDefinitionArn, image: plan.container.image };
  deps.reporter.info(`Service ${plan.target.service.serviceName} runs ${plan.target.service.taskDefinition}; the task runs ${runs.arn}, container "${plan.container.name}"${runs.image ? ` with ${runs.image}` : ''}.`);
  const task = (ledger.task = { result: 'running' as const, container: plan.container.name, command: request.command, taskDefinitionArn: runs.arn, image: runs.image });
  deps.signal?.throwIfAborted();
  await phase('Task', () =>
    runOneOffTask(
      plan.target,
      {
        taskDefinitionArn: runs.arn,
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
  const ran = plan.image ? ` It ran ${runs.image} (${shortArn(runs.arn)}).` : '';
  ledger.doneLine = `${started.taskArns ? `${started.taskArns.length} tasks` : `Task ${started.taskArn}`} of service ${plan.target.service.serviceName} exited 0.${ran}`;
  ledger.outcome = 'deployed';
}

/**
 * The image carried out as a deploy's image phase does (as given, reused or built and pushed), then the
 * service's definition with it in the task's container registered, or the family's latest revision reused
 * when it is the same. The service is not updated: only the task runs the revision.
 */
async function revisionWithImage(plan: RunPlan, image: NonNullable<RunPlan['image']>, deps: DeployDeps): Promise<{ arn: string; image?: string }> {
  const phase = phaseOf(deps);
  const ledger = deps.record;
  const result = await phase('Image', async () => carryOutImage(image.plan, await imageDeps(deps)));
  Object.assign(ledger, { image: result.reference, imageDigest: result.digest, imageBuilt: result.built, imageContainers: [plan.container.name] });
  deps.signal?.throwIfAborted();
  const definition = setImage(image.base, result.reference, plan.container.name) as Definition;
  const registration = await phase('Task definition', () => registerOrReuse(deps.aws.ecs, definition, deps.reporter, ledger));
  ledger.taskDefinitionArn = registration.arn;
  ledger.registered = registration.registered;
  const runs = registration.images[plan.container.name];
  if (runs !== result.reference) deps.reporter.warn(`${registration.arn} runs ${runs ?? 'no image'} in container "${plan.container.name}", not ${result.reference}.`);
  return { arn: registration.arn, image: runs };
}

const imageDeps = async (deps: DeployDeps): Promise<ImageDeps> => ({ ecr: await deps.aws.ecr(), reporter: deps.reporter, env: deps.env, region: deps.aws.region, accountId: unknownAccount, signal: deps.signal });

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

function summary({ name, file, environment, inputs, command, environmentVars, cpu, memory, image }: RunRequest) {
  return {
    config: file,
    environment,
    service: name,
    cluster: inputs.cluster,
    ecsService: inputs.service,
    command,
    envVars: Object.keys(environmentVars),
    cpu,
    memory,
    count: inputs.count,
    taskDefinitionArn: inputs.taskDefinitionArn || undefined,
    container: inputs.container || inputs.containerName || undefined,
    image: image && { image: image.image, build: image.build, tag: image.releaseTag, tags: image.tags, forceBuild: image.forceBuild || undefined },
  };
}
