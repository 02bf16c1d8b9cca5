import { shortArn } from '../inputs/arns';
import type { MovedScheduledTask, Ledger, ServiceStatus } from '../execute/ledger';

export interface Fact {
  label: string;
  value: string;
  link?: string;
}

/** The final account of a run, the same facts on every platform. */
export function reportFacts(record: Ledger): Fact[] {
  // build deploys to no service: its facts are the images.
  const facts: Fact[] = record.service ? [{ label: 'Service', value: `${record.service} in ${record.cluster} (${record.region})`, link: consoleLinks(record).service }] : [];
  if (record.status) return [...facts, ...statusFacts(record.status)];
  if (record.verb === 'continue' || record.verb === 'rollback') return [...facts, ...steeredFacts(record)];
  for (const image of record.builtImages ?? []) facts.push({ label: `Image ${image.name}`, value: `${image.tagged} = ${image.reference}${image.built ? ' (built and pushed)' : ' (already in the registry, reused)'}` });
  if (record.image && !record.builtImages) facts.push({ label: 'Image', value: `${record.image}${inContainers(record.imageContainers)}` });
  if (record.imageDigest && !record.builtImages) facts.push({ label: 'Digest', value: `${record.imageDigest}${record.imageBuilt === false ? ' (existing image reused, no build)' : ''}` });
  if (record.taskDefinitionArn) {
    const how = record.redeployed ? 'the revision it ran, redeployed' : record.taskDefinitionGiven ? 'existing revision, deployed as it is' : record.registered ? 'new revision' : 'unchanged, reused';
    facts.push({ label: 'Task definition', value: `${shortArn(record.taskDefinitionArn)} (${how})`, link: consoleLinks(record).taskDefinition });
  }
  if (record.migration?.result === 'skipped') {
    facts.push({ label: 'Migration', value: `skipped, the service already runs ${shortArn(record.taskDefinitionArn ?? '')}` });
  } else if (record.migration) {
    const { result, exitCode, durationMs, taskArn } = record.migration;
    const code = exitCode === undefined ? '' : `, exit code ${exitCode}`;
    facts.push({ label: 'Migration', value: `${result}${code}${duration(durationMs)}`, link: taskArn && consoleLinks(record).task(taskArn) });
  }
  if (record.task) facts.push({ label: 'Task', value: taskText(record.task), link: record.task.taskArn && consoleLinks(record).task(record.task.taskArn) });
  if (record.rollout) facts.push({ label: 'Rollout', value: rolloutText(record) });
  if (record.runsNow) facts.push({ label: 'Runs now', value: `${shortArn(record.runsNow.taskDefinition)} (read from ECS as the run ended${record.runsNow.rollingOut ? '; a deployment is still rolling out' : ''})` });
  if (record.pruned) facts.push({ label: 'Revisions', value: prunedText(record.pruned) });
  if (record.imagesPruned) facts.push({ label: 'Images', value: imagesPrunedText(record.imagesPruned) });
  if (record.scheduledTasks?.length) facts.push({ label: 'Scheduled tasks', value: record.scheduledTasks.map(scheduledTaskText).join('; ') });
  return facts;
}

export function serviceSummaryLines(record: Ledger): string[] {
  const lines = reportFacts(record).map((f) => `${f.label}: ${f.value}${f.link ? ` — ${f.link}` : ''}`);
  return record.endpoint ? [...lines, endpointNote(record.endpoint)] : lines;
}

/** With a stand-in endpoint the console links lead to the real AWS console, which knows nothing of this run. */
export function endpointNote(endpoint: string): string {
  return `AWS endpoint: ${endpoint} (AWS_ENDPOINT_URL), not AWS itself: the console links are of the real AWS console and show nothing of this run.`;
}

/** What continue or rollback did: the deployment it acted on, how it ended, and where the service is. */
function steeredFacts(record: Ledger): Fact[] {
  const facts: Fact[] = [];
  if (record.taskDefinitionArn) facts.push({ label: 'Task definition', value: `${shortArn(record.taskDefinitionArn)} (${record.verb === 'rollback' ? 'the revision rolled back from or to' : 'the revision the deployment rolls out'})`, link: consoleLinks(record).taskDefinition });
  if (record.steered) facts.push({ label: record.verb === 'rollback' ? 'Rollback' : 'Continue', value: record.steered });
  if (record.rollout) facts.push({ label: 'Rollout', value: rolloutText(record) });
  if (record.runsNow) facts.push({ label: 'Runs now', value: `${shortArn(record.runsNow.taskDefinition)} (read from ECS as the run ended${record.runsNow.rollingOut ? '; a deployment is still rolling out' : ''})` });
  if (record.scheduledTasks?.length) facts.push({ label: 'Scheduled tasks', value: record.scheduledTasks.map(scheduledTaskText).join('; ') });
  return facts;
}

/** `ecs-ship status`: one row per fact. */
export function statusFacts(status: ServiceStatus): Fact[] {
  const busy = status.inProgress;
  const facts: Fact[] = [
    { label: 'Runs', value: shortArn(status.taskDefinition) },
    { label: 'Tasks', value: `${status.running} running, ${status.pending} pending, ${status.desired} desired` },
    { label: 'Images', value: status.images.map((i) => `${i.container}: ${i.image}${i.digests.length ? ` (running ${i.digests.join(', ')})` : ''}`).join('; ') },
    {
      label: 'In progress',
      value: busy
        ? `deployment ${busy.deploymentId} of ${shortArn(busy.taskDefinition)}: ${busy.status}${busy.stage ? ` at ${busy.stage}` : ''}${busy.traffic ? `; ${busy.traffic}` : ''}${busy.hookId ? `; ${busy.hookStatus} (hook ${busy.hookId})` : ''}`
        : 'none',
    },
  ];
  if (status.lastFailure) facts.push({ label: 'Last failure', value: `${status.lastFailure.status}${status.lastFailure.at ? ` at ${status.lastFailure.at} UTC` : ''}: ${status.lastFailure.reason || 'no reason given'}` });
  if (status.events.length) facts.push({ label: 'Events', value: status.events.join(' / ') });
  return facts;
}

/** The summary's title: the verb's own words for a run that succeeded. */
export function titleOf(record: Ledger): string {
  if (record.outcome === 'deployed' && record.verb) return VERB_TITLES[record.verb];
  if (record.outcome === 'failed' && record.verb) return `❌ ${record.verb[0].toUpperCase()}${record.verb.slice(1)} failed`;
  return OUTCOME_TITLES[record.outcome];
}

const VERB_TITLES = { continue: '✅ Continued: the deployment completed', rollback: '↩️ Rolled back', status: '📋 Status', run: '✅ Task succeeded', build: '✅ Built' } as const;

/** The GitHub job summary. */
export const OUTCOME_TITLES = { deployed: '✅ Deployed', returned: '⏸ Deployment under way (returned early: wait-until)', planned: '📝 Planned (dry run)', failed: '❌ Deploy failed', cancelled: '⛔ Deploy cancelled', running: '… Running' } as const;

export function serviceSummaryMarkdown(record: Ledger): string {
  const title = titleOf(record);
  const rows = reportFacts(record).map((f) => `| ${f.label} | ${escape(f.value)}${f.link ? ` ([console](${f.link}))` : ''} |`);
  if (record.endpoint) rows.push(`| AWS endpoint | ${escape(endpointNote(record.endpoint).replace(/^AWS endpoint: /, ''))} |`);
  const reason = record.message && record.outcome !== 'deployed' ? `\n\n\`\`\`\n${record.message}\n\`\`\`\n` : '\n';
  return `## ecs-ship: ${title}\n\n| | |\n|---|---|\n${rows.join('\n')}${reason}`;
}

function taskText(task: NonNullable<Ledger['task']>): string {
  const code = task.exitCode === undefined ? '' : `, exit code ${task.exitCode}`;
  const count = task.taskArns && task.taskArns.length > 1 ? ` (${task.taskArns.length} tasks)` : '';
  return `${JSON.stringify(task.command)} in container ${task.container} of ${shortArn(task.taskDefinitionArn)}: ${task.result}${code}${duration(task.durationMs)}${count}`;
}

function rolloutText({ rollout, previousTaskDefinitionArn }: Ledger): string {
  if (!rollout) return '';
  switch (rollout.state) {
    case 'UNCHANGED':
      return `none needed, the service already ran ${shortArn(previousTaskDefinitionArn ?? '')}`;
    case 'STARTED':
      return `deployment ${rollout.deploymentId} started (not waited for)`;
    case 'COMPLETED':
      return `deployment ${rollout.deploymentId} completed${duration(rollout.durationMs)}${statusText(rollout.status)}`;
    case 'FAILED':
      return `deployment ${rollout.deploymentId} failed${duration(rollout.durationMs)}${statusText(rollout.status)}${rolledBackText(rollout)}`;
    case 'PAUSED':
      return `deployment ${rollout.deploymentId} paused at ${rollout.lifecycleStage} by lifecycle hook ${rollout.hookId} (ECS: IN_PROGRESS); ${rollout.stillToHappen ?? ''}`;
    case 'AT_STAGE':
      return `deployment ${rollout.deploymentId} reached ${rollout.lifecycleStage} (ECS: IN_PROGRESS); ${rollout.stillToHappen ?? ''}`;
    case 'STOPPED':
      return `deployment ${rollout.deploymentId} stopped at ${rollout.lifecycleStage} with a rollback${statusText(rollout.status)}${rolledBackText(rollout)}`;
    case 'SUPERSEDED':
      return `deployment ${rollout.deploymentId} superseded by deployment ${rollout.supersededBy?.deploymentId} on ${shortArn(rollout.supersededBy?.taskDefinition ?? '')}`;
    default:
      return `deployment ${rollout.deploymentId ?? ''} in progress`;
  }
}

/** ECS's own word on the deployment, from its record. */
function statusText(status: string | undefined): string {
  return status ? ` (ECS: ${status})` : '';
}

function rolledBackText(rollout: NonNullable<Ledger['rollout']>): string {
  const notHeld = rollout.rollback?.notHeld;
  if (notHeld) return `; ecs-ship's rollback to ${shortArn(rollout.rollback!.taskDefinition)} did not hold: the service runs ${shortArn(notHeld.runs)}`;
  if (!rollout.rolledBackTo) return '';
  const by = rollout.rollback?.by === 'ecs-ship' ? (rollout.rollback.how === 'StopServiceDeployment' ? ' by ECS at ecs-ship\'s request' : ' by ecs-ship') : ` by ${rollout.rollback?.by === 'circuit breaker' ? "ECS's circuit breaker" : `ECS${rollout.rollback?.cause ? ` (started by ${rollout.rollback.cause})` : ''}`}`;
  const schema = rollout.rolledBackAfterMigration ? '; the migration is not undone: that revision runs against the migrated schema' : '';
  return `; service rolled back${by} to ${shortArn(rollout.rolledBackTo)}${schema}`;
}

/** keep-images: what each repository lost and kept. */
export function imagesPrunedText({ keep, repositories, skipped }: NonNullable<Ledger['imagesPruned']>): string {
  if (skipped) return `none deleted: ${skipped}`;
  if (repositories.length === 0) return 'none deleted: no image of the run is in an ECR repository of its region';
  return repositories
    .map((r) => {
      const parts = [`${r.repository}: deleted ${r.deleted.length} (keeping the newest ${keep})`];
      if (r.keptInUse.length) parts.push(`kept ${r.keptInUse.length} older in use`);
      if (r.failed.length) parts.push(`could not delete ${r.failed.length}`);
      return parts.join(', ');
    })
    .join('; ');
}

function prunedText({ keep, deregistered, keptInUse, failed, skipped }: NonNullable<Ledger['pruned']>): string {
  if (skipped) return `none deregistered: ${skipped}`;
  const parts = [`deregistered ${deregistered.length ? deregistered.map(shortArn).join(', ') : 'none'} (keeping the newest ${keep})`];
  if (keptInUse.length) parts.push(`kept in use: ${keptInUse.map(({ arn, why }) => `${shortArn(arn)} (${why})`).join(', ')}`);
  if (failed.length) parts.push(`could not deregister: ${failed.map(({ arn }) => shortArn(arn)).join(', ')}`);
  return parts.join('; ');
}

function scheduledTaskText(task: MovedScheduledTask): string {
  const what = `${task.kind} ${task.name}${task.targetId ? ` (target ${task.targetId})` : ''}`;
  return task.restored ? `${what} moved to ${shortArn(task.to)}, then back to ${shortArn(task.from)}` : `${what} now runs ${shortArn(task.to)} (was ${shortArn(task.from)})`;
}

function consoleLinks({ region, cluster, service, taskDefinitionArn }: Ledger) {
  const base = `https://${region}.console.aws.amazon.com/ecs/v2`;
  const name = (arnOrName: string) => arnOrName.split('/').pop()!;
  return {
    service: `${base}/clusters/${name(cluster)}/services/${name(service)}/health?region=${region}`,
    taskDefinition: taskDefinitionArn && `${base}/task-definitions/${shortArn(taskDefinitionArn).replace(':', '/')}/containers?region=${region}`,
    task: (taskArn: string) => `${base}/clusters/${name(cluster)}/tasks/${name(taskArn)}/configuration?region=${region}`,
  };
}

function inContainers(names: string[] | undefined): string {
  if (!names?.length) return '';
  return ` (container${names.length > 1 ? 's' : ''} ${names.join(', ')})`;
}


export function duration(ms: number | undefined): string {
  return ms === undefined ? '' : ` in ${Math.round(ms / 1000)} s`;
}

export function escape(text: string): string {
  return text.replace(/\|/g, '\\|');
}
