// The dry run: a service's plan, printed — what was verified, the diff against what it runs, and the
// steps a real run takes. It reads nothing and decides nothing: the plan has it all.
import { inputName } from '../inputs/spelling';
import type { Reporter } from '../shared/reporter';
import { diffTaskDefinitions } from '../taskdef/normalise';
import type { Definition } from '../taskdef/types';
import type { ServicePlan } from './deploy-plan';
import type { ImagePlan } from './image-plan';
import { describeScheduledTask } from './scheduled-task-names';
import { redactSecretFields, secretFieldPaths } from './secret-fields';
import { verificationTable } from './verify';

export function printPlan(plan: ServicePlan, reporter: Reporter): void {
  const { preflight, revision, inputs } = plan;
  const verified = preflight.verification?.rows;
  reporter.info(verified ? verificationTable(verified) : `Not verified (${inputName('verify')}: false): what the task definition refers to was not looked up.`);
  const known = revision.kind === 'known' ? revision.arn : undefined;
  const definition: Definition = revision.kind === 'known' ? preflight.known!.definition : revision.definition;
  const { parsed } = preflight;
  const paths = parsed.template ? secretFieldPaths(parsed.template, parsed.secretVars.map((v) => v.name)) : [];
  const shown = redactSecretFields(plan.preview!.running, definition, paths);
  for (const value of shown.runningValues) reporter.secret(value);
  const diff = diffTaskDefinitions(shown.running, shown.rendered);
  const what = known ? `${known} (+)` : 'rendered (+)';
  reporter.info(diff ? `Task definition, running (-) against ${what}:\n${diff}` : `The ${known ? 'given' : 'rendered'} task definition equals the running one.`);
  const steps = [
    ...revisionSteps(plan),
    migrationStep(plan),
    plan.update
      ? `update service ${preflight.target.service.serviceName}${inputs.wait ? ` and wait up to ${inputs.waitTimeoutMinutes} minutes for the deployment` : ''}`
      : 'leave the service as it is (it already runs this revision)',
    ...(preflight.scheduled ? [scheduledTasksStep(plan)] : []),
  ];
  reporter.info(`A real run would:\n${steps.map((s, i) => `  ${i + 1}. ${s}`).join('\n')}`);
  const said = plan.preview?.prune?.said;
  if (said) reporter[said.level](said.text);
}

function revisionSteps({ revision, image, inputs }: ServicePlan): string[] {
  if (revision.kind === 'known') return [`deploy the existing revision ${revision.arn} as it is (no build, no render, no registration)`];
  return [
    imageStep(image?.plan, inputs.image),
    revision.kind === 'reuse' ? `reuse ${revision.arn} (unchanged)` : `register a new revision of family "${revision.definition.family}"`,
  ];
}

function imageStep(image: ImagePlan | undefined, given: string): string {
  if (!image || image.kind === 'as-is') return `deploy ${image?.reference ?? given} as is`;
  if (image.kind === 'reuse') return `reuse ${image.tagged}, already in the registry (${image.digest}): no build`;
  return `build and push ${image.tagged}`;
}

/** A re-run of the revision the service runs skips the migration (it ran when that revision was deployed). */
function migrationStep(plan: ServicePlan): string {
  const container = plan.migrationContainer;
  if (!container) return 'run no migration';
  if (!plan.migrate) return `skip the migration (the service already runs this revision; ${inputName('force-new-deployment')} would run it)`;
  return `run the migration ${JSON.stringify(plan.preflight.parsed.migrationCommand)} in container "${container.name}" and stop if it fails`;
}

function scheduledTasksStep({ scheduledMoves, preflight, revision }: ServicePlan): string {
  const found = preflight.scheduled ?? [];
  const target = revision.kind === 'register' ? 'the new revision' : revision.arn;
  if (scheduledMoves.length === 0) return `move no scheduled task (${found.length === 0 ? 'none runs the family on the cluster' : `they already run ${target} or the latest revision`})`;
  return `once the rollout succeeded, point ${scheduledMoves.map((task) => `${describeScheduledTask(task)} (now ${task.taskDefinitionArn})`).join(', ')} at ${target}`;
}
