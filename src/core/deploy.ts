import type { AwsClients } from '../aws/clients';
import type { Inputs } from '../inputs/parse';
import { InputError } from './errors';
import { runMigration, type MigrationResult } from './migrate';
import { migrationContainer, preparePlan, renderForDeploy } from './plan';
import { preflight } from './preflight';
import { registerOrReuse, type Registration } from './register';
import type { Reporter } from './reporter';
import { rollOut, type RolloutResult } from './rollout';

export interface DeployDeps {
  reporter: Reporter;
  aws: AwsClients;
  env: NodeJS.ProcessEnv;
  signal?: AbortSignal;
}

/** What happened, for each front end's final report. */
export interface DeployRecord {
  image: string;
  previousTaskDefinitionArn: string;
  registration: Registration;
  migration?: MigrationResult;
  rollout: RolloutResult;
}

const MINUTE = 60_000;

export async function deploy(inputs: Inputs, { reporter, aws, env, signal }: DeployDeps): Promise<DeployRecord> {
  const plan = await preparePlan(inputs, env);
  if (inputs.build) {
    throw new InputError(['build: building the image is not supported yet. Set build: false and give the complete image reference in image.']);
  }
  const target = await reporter.phase('Preflight', () => preflight(aws.ecs, inputs.cluster, inputs.service));
  const previousTaskDefinitionArn = target.service.taskDefinition;
  reporter.output('previous-task-definition-arn', previousTaskDefinitionArn);

  const image = inputs.image;
  reporter.output('image', image);

  const registration = await reporter.phase('Task definition', async () => {
    const definition = await renderForDeploy(plan, inputs, target, image, aws.ecs);
    return { ...(await registerOrReuse(aws.ecs, definition, reporter)), container: migrationContainer(definition, inputs) };
  });
  reporter.output('task-definition-arn', registration.arn);

  const migration = plan.migrationCommand.length
    ? await reporter.phase('Migration', () =>
        runMigration(
          target,
          {
            taskDefinitionArn: registration.arn,
            command: plan.migrationCommand,
            container: registration.container,
            timeoutMs: inputs.migrationTimeoutMinutes * MINUTE,
          },
          { ecs: aws.ecs, logs: aws.logs, reporter, signal },
        ),
      )
    : undefined;

  const rollout = await reporter.phase('Rollout', () =>
    rollOut(
      aws.ecs,
      target,
      {
        taskDefinitionArn: registration.arn,
        forceNewDeployment: inputs.forceNewDeployment,
        wait: inputs.wait,
        timeoutMs: inputs.waitTimeoutMinutes * MINUTE,
        maxTaskFailures: 3,
        rollbackTimeoutMs: Math.min(inputs.waitTimeoutMinutes, 10) * MINUTE,
      },
      reporter,
      signal,
    ),
  );
  return { image, previousTaskDefinitionArn, registration, migration, rollout };
}
